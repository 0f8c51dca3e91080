# EXPECT: 10:55: error: argument 'default' of op.add_column must be a constant (string, number, True, False or None), not t.now()
# EXIT: 1
"""t.now() as default=."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000100_sema_default_now")
def upgrade():
    op.add_column("users", "at", t.Timestamp, default=t.now())
