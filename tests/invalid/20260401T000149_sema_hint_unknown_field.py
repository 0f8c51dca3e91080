# EXPECT: 16:24: warning: unknown JORYU-DOWN-HINT field 'completion-stat'
# EXPECT: 17:40: error: data-loss-risk must be one of none, low, medium, high, irreversible, not "hi"
# EXIT: 1
"""An unknown field is a warning; a bad risk an error."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000149_sema_hint_unknown_field")
def upgrade():
    pass


@joryu.downgrade
def downgrade():
    # JORYU-DOWN-HINT: completion-stat: stub
    # JORYU-DOWN-HINT: data-loss-risk: hi
    pass
