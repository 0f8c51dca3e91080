import joryu
from joryu import op, types as t


@joryu.migration(id="20260201T000000_a")
def upgrade():
    op.execute("ALTER TABLE orders RENAME TO purchases")
    op.declare_schema_change(table_renamed=("orders", "purchases"))
