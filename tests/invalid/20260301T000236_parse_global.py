# EXPECT: 10:5: error: 'global' declarations are Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)
# EXIT: 1
"""A global declaration."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000236_parse_global")
def upgrade():
    global TABLE
    op.drop_table("users")
