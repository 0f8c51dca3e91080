# EXPECT: 13:19: error: column "id" is given twice
# EXIT: 1
"""Two columns with one name."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000107_sema_create_table_duplicate_column")
def upgrade():
    op.create_table(
        "users",
        op.column("id", t.BigInt, primary_key=True),
        op.column("id", t.Text),
    )
