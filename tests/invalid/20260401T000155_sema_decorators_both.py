# EXPECT: 9:2: error: a function is either the migration or the downgrade, not both
# EXIT: 1
"""One function both migration and downgrade."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000155_sema_decorators_both")
@joryu.downgrade
def upgrade():
    pass
