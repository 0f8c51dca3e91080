# EXPECT: 10:8: error: op.batch(...) opens a block
# EXIT: 1
"""op.batch called as a statement."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000143_sema_batch_statement")
def upgrade():
    op.batch("users")
