# EXPECT: 10:54: error: a row needs at least one column
# EXIT: 1
"""A row without columns."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000113_sema_bulk_insert_columns")
def upgrade():
    op.bulk_insert("roles", [{"id": 1, "name": "a"}, {}])
