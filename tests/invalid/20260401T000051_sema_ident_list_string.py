# EXPECT: 10:48: error: argument 'columns' of op.create_index must be a list of names, not a string
# EXIT: 1
"""A string where a list of columns goes."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000051_sema_ident_list_string")
def upgrade():
    op.create_index("ix_users_email", "users", "email")
