"""Raw SQL adds a column; the hint tells replay."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000017_raw_nickname")
def upgrade():
    op.execute(
        {
            "mysql": "ALTER TABLE users ADD COLUMN nickname VARCHAR(40) NULL",
            "default": "ALTER TABLE users ADD COLUMN nickname VARCHAR(40)",
        },
        reverse="ALTER TABLE users DROP COLUMN nickname",
    )
    op.declare_schema_change(column_added=("users", "nickname", t.String(40), {"nullable": True}))
