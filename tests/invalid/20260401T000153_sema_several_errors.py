# EXPECT: 14:77: error: transaction_mode="sometimes" is not one of "per_step", "per_migration", "none"
# EXPECT: 16:8: error: op has no operation 'add_colum'
# EXPECT: 17:19: error: argument 'name' of op.drop_table cannot be empty
# EXPECT: 18:35: error: joryu.types has no type 'Strng'
# EXPECT: 19:27: error: unknown dialect "oracle"
# EXPECT: 21:16: error: op.execute has no SQL for postgresql and mysql and no "default" key
# EXPECT: 22:5: error: joryuc compiles a declarative subset: the one assignment allowed in a function is `d = op.dialect.name`
# EXIT: 1
"""Several errors in one file, each reported once."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000153_sema_several_errors", transaction_mode="sometimes")
def upgrade():
    op.add_colum("users", "a", t.Text)
    op.drop_table("")
    op.add_column("users", "b", t.Strng)
    if op.dialect.name == "oracle":
        op.execute("SELECT 1")
    op.execute({"sqlite": "SELECT 1"})
    x = 1
