# EXPECT: 13:1: error: 'async' functions are Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)
# EXIT: 1
"""An async function."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000235_parse_async_def")
def upgrade():
    pass


async def helper():
    pass
