# EXPECT: 10:5: error: op.batch needs a name for the block
# EXIT: 1
"""with op.batch without as."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000141_sema_batch_no_alias")
def upgrade():
    with op.batch("users"):
        pass
