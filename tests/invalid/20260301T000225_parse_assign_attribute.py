# EXPECT: 10:5: error: cannot assign to an attribute; joryuc accepts only `NAME = value`
# EXIT: 1
"""Assignment to an attribute."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000225_parse_assign_attribute")
def upgrade():
    op.dialect = "sqlite"
