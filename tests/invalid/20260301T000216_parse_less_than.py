# EXPECT: 10:24: error: the '<' operator is Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)
# EXIT: 1
"""An ordering comparison."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000216_parse_less_than")
def upgrade():
    if op.dialect.name < "b":
        pass
