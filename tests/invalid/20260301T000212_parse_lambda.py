# EXPECT: 10:16: error: lambda expressions are Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)
# EXIT: 1
"""A lambda expression."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000212_parse_lambda")
def upgrade():
    op.execute(lambda conn: conn)
