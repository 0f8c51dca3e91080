# EXPECT: 10:19: error: argument 'name' of op.drop_table must be a string, not an integer
# EXIT: 1
"""A number where a name goes."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000050_sema_ident_not_string")
def upgrade():
    op.drop_table(42)
