# EXPECT: 10:16: error: op.dialect.name can only be compared in an if condition
# EXIT: 1
"""op.dialect.name used as a value."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000047_sema_dialect_value")
def upgrade():
    op.execute(op.dialect.name)
