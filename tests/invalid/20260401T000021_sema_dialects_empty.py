# EXPECT: 8:69: error: dialects=[] restricts the migration to no dialect at all
# EXIT: 1
"""dialects=[] allows nothing."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000021_sema_dialects_empty", dialects=[])
def upgrade():
    pass
