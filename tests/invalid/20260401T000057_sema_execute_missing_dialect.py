# EXPECT: 10:16: error: op.execute has no SQL for mysql and sqlite and no "default" key
# EXIT: 1
"""No SQL for a targeted dialect."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000057_sema_execute_missing_dialect")
def upgrade():
    op.execute({"postgresql": "SELECT 1"})
