# EXPECT: 10:5: error: 'raise' statements are Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)
# EXIT: 1
"""A raise statement."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000234_parse_raise")
def upgrade():
    raise RuntimeError("no")
