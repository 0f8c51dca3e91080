# EXPECT: 15:40: error: data-loss-risk must be one of none, low, medium, high, irreversible, not "huge"
# EXIT: 1
"""A data-loss-risk outside the vocabulary."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000146_sema_hint_risk")
def upgrade():
    pass


@joryu.downgrade
def downgrade():
    # JORYU-DOWN-HINT: data-loss-risk: huge
    pass
