# EXPECT: 10:8: error: compare op.dialect.name with == or !=, not `is`
# EXIT: 1
"""`is` instead of ==."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000046_sema_condition_is")
def upgrade():
    if op.dialect.name is "sqlite":
        op.execute("SELECT 1")
