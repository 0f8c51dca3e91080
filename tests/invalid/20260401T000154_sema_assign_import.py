# EXPECT: 6:1: error: 'op' is an imported name; a constant cannot reuse it
# EXIT: 1
"""A constant reusing an imported name."""
import joryu
from joryu import op, types as t
op = "x"


@joryu.migration(id="20260401T000154_sema_assign_import")
def upgrade():
    pass
