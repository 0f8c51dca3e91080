# EXPECT: 11:23: error: inside `with op.batch("users")` the table is implied
# EXIT: 1
"""table= inside a batch."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000138_sema_batch_table_given")
def upgrade():
    with op.batch("users") as b:
        b.drop_column(table="users", name="email")
