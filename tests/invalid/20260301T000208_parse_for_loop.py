# EXPECT: 10:5: error: 'for' loops are Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)
# EXIT: 1
"""A for loop."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000208_parse_for_loop")
def upgrade():
    for name in ["a", "b"]:
        op.drop_table(name)
