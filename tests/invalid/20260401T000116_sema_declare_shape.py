# EXPECT: 10:43: error: column_added takes a tuple (table, column, type, opts): 2 elements given
# EXIT: 1
"""A hint tuple too short."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000116_sema_declare_shape")
def upgrade():
    op.declare_schema_change(column_added=("users", "api_key"))
