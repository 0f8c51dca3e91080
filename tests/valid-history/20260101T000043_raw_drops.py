"""Drops in raw SQL, declared; reverse= recreates them."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000043_raw_drops")
def upgrade():
    op.execute(
        "DROP VIEW active_projects",
        reverse="CREATE VIEW active_projects AS SELECT id, title FROM projects WHERE status = 'active'",
    )
    op.execute(
        {"mysql": "DROP INDEX ix_users_name ON users", "mariadb": "DROP INDEX ix_users_name ON users", "default": "DROP INDEX ix_users_name"},
        reverse={"mysql": "CREATE INDEX ix_users_name ON users (name(255))", "mariadb": "CREATE INDEX ix_users_name ON users (name(255))", "default": "CREATE INDEX ix_users_name ON users (name)"},
    )
    op.execute(
        "ALTER TABLE users DROP COLUMN handle",
        reverse={"mysql": "ALTER TABLE users ADD COLUMN handle VARCHAR(60) NULL", "mariadb": "ALTER TABLE users ADD COLUMN handle VARCHAR(60) NULL", "default": "ALTER TABLE users ADD COLUMN handle VARCHAR(60)"},
    )
    op.declare_schema_change(
        view_dropped="active_projects",
        index_dropped=("ix_users_name", "users"),
        column_dropped=("users", "handle"),
    )
