# EXPECT: 11:9: error: op.batch blocks cannot be nested
# EXIT: 1
"""A batch inside a batch."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000140_sema_batch_nested")
def upgrade():
    with op.batch("users") as b:
        with op.batch("pets") as p:
            p.drop_column("name")
