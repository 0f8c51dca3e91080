# EXPECT: 10:33: error: t.Enum needs name= (the PostgreSQL type name)
# EXIT: 1
"""t.Enum without name=."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000126_sema_type_enum_name")
def upgrade():
    op.add_column("users", "s", t.Enum("a", "b"))
