# EXPECT: 8:8: error: joryu has no decorator 'migrate'
# EXIT: 1
"""A decorator joryu does not have."""
import joryu
from joryu import op, types as t


@joryu.migrate(id="20260401T000011_sema_unknown_decorator")
def upgrade():
    pass
