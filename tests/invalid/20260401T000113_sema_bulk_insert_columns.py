# EXPECT: 10:54: error: this row has other columns than the first row
# EXIT: 1
"""Rows with different columns."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000113_sema_bulk_insert_columns")
def upgrade():
    op.bulk_insert("roles", [{"id": 1, "name": "a"}, {"id": 2}])
