# EXPECT: 10:5: error: 'match' statements are Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)
# EXIT: 1
"""A match statement."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000214_parse_match")
def upgrade():
    match op.dialect.name:
        case "sqlite":
            pass
