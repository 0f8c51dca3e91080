# EXPECT: 10:70: error: op.func.current_timestamp is not known to joryuc
# EXIT: 1
"""op.func beyond now()."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000204_sema_unknown_func")
def upgrade():
    op.add_column("users", "at", t.Timestamp, server_default=op.func.current_timestamp())
