# EXPECT: 15:24: warning: unknown JORYU-DOWN-HINT field 'completion-stat'
# EXIT: 0
"""An unknown field is only a warning."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000149_sema_hint_unknown_field")
def upgrade():
    pass


@joryu.downgrade
def downgrade():
    # JORYU-DOWN-HINT: completion-stat: stub
    pass
