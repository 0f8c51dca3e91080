# EXPECT: 10:66: error: default= and server_default= exclude each other
# EXIT: 1
"""default= and server_default= together."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000058_sema_default_exclusive")
def upgrade():
    op.add_column("users", "n", t.Int, default=0, server_default="0")
