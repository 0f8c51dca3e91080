# EXPECT: 10:30: error: argument 'set' of op.backfill must be a dict {column: SQL expression}, not a string
# EXIT: 1
"""backfill set= given a string."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000112_sema_backfill_set")
def upgrade():
    op.backfill("users", set="a = 1")
