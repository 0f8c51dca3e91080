"""Drops in raw SQL, declared."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000043_raw_drops")
def upgrade():
    op.execute("DROP VIEW active_projects", reverse="SELECT 1")
    op.execute(
        {"mysql": "DROP INDEX ix_users_name ON users", "default": "DROP INDEX ix_users_name"},
        reverse="SELECT 1",
    )
    op.execute("ALTER TABLE users DROP COLUMN handle", reverse="SELECT 1")
    op.declare_schema_change(
        view_dropped="active_projects",
        index_dropped=("ix_users_name", "users"),
        column_dropped=("users", "handle"),
    )
