import joryu
from joryu import op, types as t


@joryu.migration(id="20260201T000000_a")
def upgrade():
    op.execute("ALTER TABLE users DROP COLUMN email")
    op.declare_schema_change(column_dropped=("users", "email"))
