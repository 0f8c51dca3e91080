# EXPECT: 9:13: error: upgrade() takes no parameters
# EXIT: 1
"""upgrade() with parameters."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000012_sema_function_params")
def upgrade(conn):
    pass
