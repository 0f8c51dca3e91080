# EXPECT: 10:5: error: 'while' loops are Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)
# EXIT: 1
"""A while loop."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000209_parse_while_loop")
def upgrade():
    while True:
        pass
