# EXPECT: 10:39: error: comprehensions are Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)
# EXIT: 1
"""A list comprehension."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000237_parse_comprehension")
def upgrade():
    op.create_index("ix", "users", [c for c in COLUMNS])
