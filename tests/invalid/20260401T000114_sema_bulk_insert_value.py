# EXPECT: 10:48: error: a row value must be a constant (string, number, True, False or None), not a type
# EXIT: 1
"""A row value that is not a constant."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000114_sema_bulk_insert_value")
def upgrade():
    op.bulk_insert("roles", [{"id": 1, "kind": t.Text}])
