# EXPECT: 10:28: error: op.drop_table: argument 'name' is given twice
# EXIT: 1
"""An argument given by position and by keyword."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000031_sema_duplicate_argument")
def upgrade():
    op.drop_table("users", name="users")
