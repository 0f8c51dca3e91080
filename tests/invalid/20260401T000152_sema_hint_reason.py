# EXPECT: 16:24: warning: data-loss-risk high needs a data-loss-reason field
# EXPECT: 17:43: error: completion-status must be one of stub, partial, complete, manual-review-required, not "finished"
# EXIT: 1
"""High risk without a reason (warning) and a bad status."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000152_sema_hint_reason")
def upgrade():
    pass


@joryu.downgrade
def downgrade():
    # JORYU-DOWN-HINT: data-loss-risk: high
    # JORYU-DOWN-HINT: completion-status: finished
    op.drop_table("users")
