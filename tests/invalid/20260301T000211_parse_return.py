# EXPECT: 11:5: error: 'return' statements are Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)
# EXIT: 1
"""A return statement."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000211_parse_return")
def upgrade():
    op.drop_table("users")
    return None
