import joryu
from joryu import op, types as t


@joryu.migration(id="20260201T000000_a")
def upgrade():
    op.execute("ALTER TABLE users ALTER COLUMN name SET NOT NULL")
    op.declare_schema_change(column_altered=("users", "name", {"old": {"nullable": True}, "new": {"nullable": False}}))
