# EXPECT: 10:40: error: the new name is the old name "email"
# EXIT: 1
"""Renaming to the same name."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000105_sema_rename_same")
def upgrade():
    op.rename_column("users", "email", "email")
