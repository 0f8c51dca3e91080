# EXPECT: 10:55: error: argument 'server_default' of op.add_column must be a SQL string or t.now(), not an integer
# EXIT: 1
"""A number as server_default=."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000101_sema_server_default_kind")
def upgrade():
    op.add_column("users", "n", t.Int, server_default=0)
