# EXPECT: 14:1: error: unexpected end of file
# EXIT: 1
"""A decorator at the end of the file."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000224_parse_decorator_without_def")
def upgrade():
    pass


@joryu.downgrade
