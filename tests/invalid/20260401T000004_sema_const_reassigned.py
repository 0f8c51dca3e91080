# EXPECT: 7:1: error: constant 'LIMIT' is assigned twice
# EXIT: 1
"""A module constant assigned twice."""
import joryu
from joryu import op, types as t
LIMIT = 10
LIMIT = 20


@joryu.migration(id="20260401T000004_sema_const_reassigned")
def upgrade():
    pass
