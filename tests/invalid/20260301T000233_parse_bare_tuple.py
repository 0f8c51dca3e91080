# EXPECT: 13:13: error: invalid syntax near ','
# EXIT: 1
"""A tuple without parentheses."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000233_parse_bare_tuple")
def upgrade():
    pass


TABLES = "a", "b"
