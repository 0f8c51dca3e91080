# EXPECT: 11:45: error: t.Array cannot hold another t.Array
# EXIT: 1
"""An array of arrays."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000128_sema_type_array_nested")
def upgrade():
    if op.dialect.name == "postgresql":
        op.add_column("users", "m", t.Array(t.Array(t.Int)))
