"""Add three columns and an index on col2."""
import joryu
from joryu import op, types as t

@joryu.migration(id="20260622T100000_add_columns_and_idx")
def upgrade():
    op.add_column("users", "col1", t.Text)
    op.add_column("users", "col2", t.Text)
    op.create_index("idx_col2", "users", ["col2"])
    op.add_column("users", "col3", t.Text)
