# EXPECT: 10:8: error: op has no operation 'add_colum'
# EXIT: 1
"""A misspelled op."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000027_sema_unknown_op")
def upgrade():
    op.add_colum("users", "email", t.Text)
