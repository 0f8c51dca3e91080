"""An audit table with a server-side timestamp default."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000012_create_audit")
def upgrade():
    op.create_table(
        "audit",
        op.column("id", t.BigInt, primary_key=True, autoincrement=True),
        op.column("account_id", t.BigInt, nullable=False),
        op.column("kind", t.String(20), nullable=False),
        op.column("created_at", t.Timestamp, nullable=False, server_default=t.now()),
    )
    op.execute("INSERT INTO crash_log (migration) VALUES ('20260301T000012_create_audit')")
