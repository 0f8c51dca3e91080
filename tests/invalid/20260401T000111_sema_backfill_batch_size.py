# EXPECT: 10:53: error: batch_size must be between 1 and 1000000, not 0
# EXIT: 1
"""batch_size out of range."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000111_sema_backfill_batch_size")
def upgrade():
    op.backfill("users", set={"a": "1"}, batch_size=0)
