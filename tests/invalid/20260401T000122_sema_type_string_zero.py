# EXPECT: 10:46: error: t.String: the length must be between 1 and 10485760, not 0
# EXIT: 1
"""t.String(0)."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000122_sema_type_string_zero")
def upgrade():
    op.add_column("users", "email", t.String(0))
