# EXPECT: 10:45: error: op.add_column has no argument 'nulable'
# EXIT: 1
"""A misspelled keyword argument."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000028_sema_unknown_keyword")
def upgrade():
    op.add_column("users", "email", t.Text, nulable=False)
