# EXPECT: 16:24: warning: requires-app-knowledge: true needs an app-knowledge-needed list
# EXPECT: 17:40: error: data-loss-risk must be one of none, low, medium, high, irreversible, not "unknown"
# EXIT: 1
"""requires-app-knowledge without the list (warning), bad risk."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000200_sema_hint_knowledge")
def upgrade():
    pass


@joryu.downgrade
def downgrade():
    # JORYU-DOWN-HINT: requires-app-knowledge: true
    # JORYU-DOWN-HINT: data-loss-risk: unknown
    pass
