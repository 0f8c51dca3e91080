# EXPECT: 15:48: error: requires-app-knowledge must be true or false, not "maybe"
# EXIT: 1
"""requires-app-knowledge not a boolean."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000148_sema_hint_bool")
def upgrade():
    pass


@joryu.downgrade
def downgrade():
    # JORYU-DOWN-HINT: requires-app-knowledge: maybe
    pass
