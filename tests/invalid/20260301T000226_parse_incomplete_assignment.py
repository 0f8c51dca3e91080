# EXPECT: 13:8: error: unexpected end of line: the statement is incomplete
# EXIT: 1
"""An assignment without a value."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000226_parse_incomplete_assignment")
def upgrade():
    pass


BATCH =
