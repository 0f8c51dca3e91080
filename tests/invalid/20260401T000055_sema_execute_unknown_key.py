# EXPECT: 10:43: error: unknown dialect key "sqllite" in argument 'sql' of op.execute
# EXIT: 1
"""A misspelled dialect key."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000055_sema_execute_unknown_key")
def upgrade():
    op.execute({"postgresql": "SELECT 1", "sqllite": "SELECT 1", "default": "SELECT 2"})
