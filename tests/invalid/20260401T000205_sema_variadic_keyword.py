# EXPECT: 10:26: error: op.create_table takes its columns by position, not as columns=
# EXIT: 1
"""create_table columns given as a keyword."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000205_sema_variadic_keyword")
def upgrade():
    op.create_table("x", columns=[op.column("id", t.Int, primary_key=True)])
