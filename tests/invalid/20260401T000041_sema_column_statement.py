# EXPECT: 10:8: error: op.column(...) builds a column for op.create_table; it is not a step
# EXIT: 1
"""op.column as a statement."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000041_sema_column_statement")
def upgrade():
    op.column("email", t.Text)
