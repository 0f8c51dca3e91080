# EXPECT: 8:72: error: unknown dialect "postgre"
# EXIT: 1
"""An unknown dialect in dialects=."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000020_sema_dialects_unknown", dialects=["postgre"])
def upgrade():
    pass
