# EXPECT: 10:107: error: autoincrement=True without primary_key=True is not supported on mysql and sqlite
# EXIT: 6
"""autoincrement off the primary key (mysql, sqlite)."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000208_sema_autoincrement_not_key")
def upgrade():
    op.create_table("t", op.column("id", t.BigInt, primary_key=True), op.column("n", t.Int, autoincrement=True))
