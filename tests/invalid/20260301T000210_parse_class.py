# EXPECT: 13:1: error: class definitions are Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)
# EXIT: 1
"""A class definition at module level."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000210_parse_class")
def upgrade():
    pass


class Helper:
    pass
