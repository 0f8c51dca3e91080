# EXPECT: 10:58: error: autoincrement=True needs an integer column, not t.Text
# EXIT: 1
"""autoincrement on a text column."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000102_sema_autoincrement_type")
def upgrade():
    op.add_column("users", "code", t.Text, autoincrement=True)
