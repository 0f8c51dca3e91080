# EXPECT: 10:43: error: key "pg" repeats "postgresql" in argument 'sql' of op.execute
# EXIT: 1
"""pg and postgresql in one dict."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000056_sema_execute_duplicate_key")
def upgrade():
    op.execute({"postgresql": "SELECT 1", "pg": "SELECT 1", "default": "SELECT 2"})
