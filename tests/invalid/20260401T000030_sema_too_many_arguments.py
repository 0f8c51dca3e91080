# EXPECT: 10:38: error: op.drop_column takes 2 positional arguments
# EXIT: 1
"""More positional arguments than the op takes."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000030_sema_too_many_arguments")
def upgrade():
    op.drop_column("users", "email", "extra")
