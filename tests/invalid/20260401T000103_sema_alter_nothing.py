# EXPECT: 10:8: error: op.alter_column changes nothing
# EXIT: 1
"""alter_column that changes nothing."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000103_sema_alter_nothing")
def upgrade():
    op.alter_column("users", "email")
