# EXPECT: 10:8: error: op.create_table needs at least one column
# EXIT: 1
"""create_table without columns."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000106_sema_create_table_no_columns")
def upgrade():
    op.create_table("empty")
