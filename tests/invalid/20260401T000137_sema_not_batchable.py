# EXPECT: 11:11: error: drop_table cannot run inside op.batch
# EXIT: 1
"""drop_table inside a batch."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000137_sema_not_batchable")
def upgrade():
    with op.batch("users") as b:
        b.drop_table()
