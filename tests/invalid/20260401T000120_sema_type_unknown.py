# EXPECT: 10:39: error: joryu.types has no type 'Strng'
# EXIT: 1
"""A misspelled type."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000120_sema_type_unknown")
def upgrade():
    op.add_column("users", "email", t.Strng(100))
