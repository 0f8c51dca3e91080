# EXPECT: 10:19: error: 'op' is not a value
# EXIT: 1
"""The op namespace passed as a value."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000202_sema_not_a_value")
def upgrade():
    op.drop_table(op)
