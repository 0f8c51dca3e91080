# EXPECT: 14:34: error: primary_key names "nmae", which is not a column of this table
# EXIT: 1
"""primary_key= naming a missing column."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000108_sema_primary_key_unknown_column")
def upgrade():
    op.create_table(
        "pets",
        op.column("owner_id", t.BigInt),
        op.column("name", t.Text),
        primary_key=["owner_id", "nmae"],
    )
