# EXPECT: 8:2: error: @joryu.migration needs id=
# EXIT: 1
"""@joryu.migration without id=."""
import joryu
from joryu import op, types as t


@joryu.migration(tags=["x"])
def upgrade():
    pass
