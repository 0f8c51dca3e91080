"""A reporting view, in each dialect's SQL.

Raw SQL is opaque to replay, so declare_schema_change tells joryu what it
created; reverse= gives the synthesized downgrade.
"""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000000_fuzz")
def upgrade():
    op.execute(
        {
            "postgresql": "CREATE VIEW active_users AS SELECT id, email FROM users WHERE is_active",
            "mysql": "CREATE VIEW active_users AS SELECT id, email FROM users WHERE is_active = 1",
            "default": "CREATE VIEW active_users AS SELECT id, email FROM users WHERE is_active = 1",
        },
        reverse="DROP VIEW active_users",
    )
    op.declare_schema_change(
        view_added=("active_users", "SELECT id, email FROM users WHERE is_active"),
    )
