# EXPECT: 13:7: error: expected a name, found end of line
# EXIT: 1
"""An import with no module."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000222_parse_import_nothing")
def upgrade():
    pass


import
