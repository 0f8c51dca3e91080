# EXPECT: 10:37: error: *args and **kwargs are not part of the compiled subset
# EXIT: 1
"""*args in an op call."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000032_sema_star_argument")
def upgrade():
    op.create_index("ix", "users", *["a"])
