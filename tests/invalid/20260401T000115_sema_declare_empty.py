# EXPECT: 10:8: error: op.declare_schema_change declares nothing
# EXIT: 1
"""declare_schema_change with nothing."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000115_sema_declare_empty")
def upgrade():
    op.declare_schema_change()
