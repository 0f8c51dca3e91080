# EXPECT: 10:5: error: 'try' blocks are Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)
# EXIT: 1
"""A try block."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000213_parse_try")
def upgrade():
    try:
        op.drop_table("users")
    except Exception:
        pass
