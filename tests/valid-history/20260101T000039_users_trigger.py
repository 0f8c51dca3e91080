"""A trigger (SQLite), recreated by later table rebuilds."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000039_users_trigger", dialects=["sqlite"])
def upgrade():
    op.execute(
        "CREATE TRIGGER trg_users_audit AFTER INSERT ON users BEGIN INSERT INTO audit_log (id, action) VALUES (NEW.id, 'insert'); END",
        reverse="DROP TRIGGER trg_users_audit",
    )
    op.declare_schema_change(
        trigger_added=(
            "trg_users_audit",
            "users",
            "CREATE TRIGGER trg_users_audit AFTER INSERT ON users BEGIN INSERT INTO audit_log (id, action) VALUES (NEW.id, 'insert'); END",
        ),
    )
