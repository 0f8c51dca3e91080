# EXPECT: 16:43: error: completion-status must be one of stub, partial, complete, manual-review-required, not "done"
# EXIT: 1
"""A completion-status outside the vocabulary."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000145_sema_hint_status")
def upgrade():
    pass


@joryu.downgrade
def downgrade():
    # JORYU-DOWN-HINT: schema-impact: []
    # JORYU-DOWN-HINT: completion-status: done
    pass
