"""A table created by raw SQL, declared with table_added."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000036_audit_log_raw")
def upgrade():
    op.execute(
        {
            "postgresql": "CREATE TABLE audit_log (id BIGINT PRIMARY KEY, action TEXT NOT NULL, at TIMESTAMPTZ)",
            "mysql": "CREATE TABLE audit_log (id BIGINT PRIMARY KEY, action LONGTEXT NOT NULL, at TIMESTAMP NULL)",
            "mariadb": "CREATE TABLE audit_log (id BIGINT PRIMARY KEY, action LONGTEXT NOT NULL, at TIMESTAMP NULL)",
            "sqlite": "CREATE TABLE audit_log (id INTEGER PRIMARY KEY, action TEXT NOT NULL, at TEXT)",
        },
        reverse="DROP TABLE audit_log",
    )
    op.declare_schema_change(
        table_added=(
            "audit_log",
            {
                "columns": [
                    ("id", t.BigInt, {"primary_key": True}),
                    ("action", t.Text, {"nullable": False}),
                    ("at", t.Timestamp),
                ],
            },
        ),
    )
