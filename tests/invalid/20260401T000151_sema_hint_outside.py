# EXPECT: 11:7: warning: JORYU-DOWN-HINT outside the @joryu.downgrade function is ignored
# EXPECT: 12:8: error: op has no operation 'drop_tabel'
# EXIT: 1
"""A hint in upgrade() is ignored (warning); the op is an error."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000151_sema_hint_outside")
def upgrade():
    # JORYU-DOWN-HINT: completion-status: stub
    op.drop_tabel("users")
