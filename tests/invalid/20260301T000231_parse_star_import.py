# EXPECT: 13:19: error: expected a name, found '*'
# EXIT: 1
"""A star import."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000231_parse_star_import")
def upgrade():
    pass


from joryu import *
