# EXPECT: 10:8: error: op.add_column needs argument 'type' (column type, a t.* type)
# EXIT: 1
"""A required argument left out."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000029_sema_missing_argument")
def upgrade():
    op.add_column("users", "email")
