# EXPECT: 17:24: warning: JORYU-DOWN-HINT field 'completion-status' is given twice
# EXPECT: 17:43: error: completion-status must be one of stub, partial, complete, manual-review-required, not "complet"
# EXIT: 1
"""A hint field twice (warning) and a bad status."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000159_sema_hint_duplicate")
def upgrade():
    pass


@joryu.downgrade
def downgrade():
    # JORYU-DOWN-HINT: completion-status: stub
    # JORYU-DOWN-HINT: completion-status: complet
    pass
