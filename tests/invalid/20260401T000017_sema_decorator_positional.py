# EXPECT: 8:18: error: @joryu.migration takes keyword arguments only
# EXIT: 1
"""A positional decorator argument."""
import joryu
from joryu import op, types as t


@joryu.migration("20260401T000017_sema_decorator_positional")
def upgrade():
    pass
