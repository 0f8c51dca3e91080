# EXPECT: 11:40: error: t.Array is not supported on sqlite
# EXIT: 6
"""Array in a branch that still reaches sqlite."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000134_sema_array_unsupported")
def upgrade():
    if op.dialect.name != "mysql":
        op.add_column("users", "tags", t.Array(t.Text))
