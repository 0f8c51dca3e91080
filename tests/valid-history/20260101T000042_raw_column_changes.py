"""Column, index and constraint changes in raw SQL, declared."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000042_raw_column_changes")
def upgrade():
    op.execute(
        {
            "postgresql": "ALTER TABLE users RENAME COLUMN nickname TO handle",
            "default": "ALTER TABLE users RENAME COLUMN nickname TO handle",
        },
        reverse="ALTER TABLE users RENAME COLUMN handle TO nickname",
    )
    op.declare_schema_change(column_renamed=("users", "nickname", "handle"))
    op.execute(
        {
            "postgresql": "ALTER TABLE users ALTER COLUMN handle TYPE VARCHAR(60)",
            "mysql": "ALTER TABLE users MODIFY COLUMN handle VARCHAR(60) NULL",
            "mariadb": "ALTER TABLE users MODIFY COLUMN handle VARCHAR(60) NULL",
            "sqlite": "SELECT 1",
        },
        reverse={
            "postgresql": "ALTER TABLE users ALTER COLUMN handle TYPE VARCHAR(40)",
            "mysql": "ALTER TABLE users MODIFY COLUMN handle VARCHAR(40) NULL",
            "mariadb": "ALTER TABLE users MODIFY COLUMN handle VARCHAR(40) NULL",
            "sqlite": "SELECT 1",
        },
    )
    op.declare_schema_change(
        column_altered=("users", "handle", {"old": {"type": t.String(40)}, "new": {"type": t.String(60)}}),
    )
