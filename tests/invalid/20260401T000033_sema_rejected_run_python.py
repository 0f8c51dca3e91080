# EXPECT: 10:8: error: op.run_python needs a Python runtime; joryuc compiles a declarative subset
# EXIT: 1
"""op.run_python needs a Python runtime."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000033_sema_rejected_run_python")
def upgrade():
    op.run_python(backfill)
