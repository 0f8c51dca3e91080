# EXPECT: 10:19: error: argument 'name' of op.drop_table cannot be empty
# EXIT: 1
"""An empty table name."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000048_sema_ident_empty")
def upgrade():
    op.drop_table("")
