# EXPECT: 10:11: error: op.get_bind needs a Python runtime; joryuc compiles a declarative subset
# EXIT: 1
"""op.get_bind() in a condition."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000035_sema_rejected_get_bind")
def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT 1")
