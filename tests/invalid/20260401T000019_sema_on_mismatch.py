# EXPECT: 8:69: error: on_mismatch="ignore" is not one of "error", "alter", "skip"
# EXIT: 1
"""An unknown on_mismatch."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000019_sema_on_mismatch", on_mismatch="ignore")
def upgrade():
    pass
