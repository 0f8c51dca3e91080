# EXPECT: 13:21: error: primary_key= and a column's primary_key=True exclude each other
# EXIT: 1
"""primary_key= and a column primary key."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000109_sema_primary_key_twice")
def upgrade():
    op.create_table(
        "pets",
        op.column("id", t.BigInt, primary_key=True),
        primary_key=["id"],
    )
