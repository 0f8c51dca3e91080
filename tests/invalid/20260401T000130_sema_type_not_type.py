# EXPECT: 10:33: error: argument 'type' of op.add_column must be a t.* type, not a string
# EXIT: 1
"""A SQL type name as a string."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000130_sema_type_not_type")
def upgrade():
    op.add_column("users", "s", "VARCHAR(10)")
