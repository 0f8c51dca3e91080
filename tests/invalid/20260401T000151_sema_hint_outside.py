# EXPECT: 10:7: warning: JORYU-DOWN-HINT outside the @joryu.downgrade function is ignored
# EXIT: 0
"""A hint in upgrade() is ignored (warning)."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000151_sema_hint_outside")
def upgrade():
    # JORYU-DOWN-HINT: completion-status: stub
    pass
