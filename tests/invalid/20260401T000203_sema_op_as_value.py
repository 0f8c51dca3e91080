# EXPECT: 10:26: error: op.drop_table(...) is a step, not a value
# EXIT: 1
"""A step used as an argument."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000203_sema_op_as_value")
def upgrade():
    op.create_table("x", op.drop_table("y"))
