# EXPECT: 10:25: error: subscripts and slices are Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)
# EXIT: 1
"""Subscripts are Python logic."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000228_parse_subscript")
def upgrade():
    op.drop_table(TABLES[0])
