# EXPECT: 6:1: error: only imports, constants and the decorated upgrade() and downgrade() functions may appear at module level
# EXIT: 1
"""An op call at module level."""
import joryu
from joryu import op, types as t
op.execute("SELECT 1")


@joryu.migration(id="20260401T000003_sema_module_statement")
def upgrade():
    pass
