# EXPECT: 10:54: error: argument 'nullable' of op.add_column must be True or False, not an integer
# EXIT: 1
"""1 instead of True."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000052_sema_bool_kind")
def upgrade():
    op.add_column("users", "email", t.Text, nullable=0)
