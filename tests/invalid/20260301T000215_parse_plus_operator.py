# EXPECT: 10:31: error: the '+' operator is Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)
# EXIT: 1
"""String concatenation with +."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000215_parse_plus_operator")
def upgrade():
    op.execute("DELETE FROM " + "users")
