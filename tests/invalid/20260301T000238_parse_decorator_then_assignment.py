# EXPECT: 14:1: error: expected 'def' after the decorator, found 'NAME'
# EXIT: 1
"""A decorator followed by something other than def."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000238_parse_decorator_then_assignment")
def upgrade():
    pass


@joryu.downgrade
NAME = 1
