# EXPECT: 10:16: error: argument 'sql' of op.execute is empty
# EXIT: 1
"""op.execute with blank SQL."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000054_sema_empty_sql")
def upgrade():
    op.execute("   ")
