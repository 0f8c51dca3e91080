# EXPECT: 10:30: error: op.declare_schema_change has no argument 'index_renamed'
# EXIT: 1
"""A keyword outside the v1 vocabulary."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000117_sema_declare_unknown")
def upgrade():
    op.declare_schema_change(index_renamed=("a", "b"))
