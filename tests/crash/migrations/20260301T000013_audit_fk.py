"""Index and foreign key on the audit table (one rebuild on SQLite)."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000013_audit_fk")
def upgrade():
    with op.batch("audit") as b:
        b.create_index("ix_audit_account", ["account_id"])
        b.create_foreign_key("fk_audit_account", "accounts", ["account_id"], ["id"], on_delete="CASCADE")
    op.execute("INSERT INTO crash_log (migration) VALUES ('20260301T000013_audit_fk')")
