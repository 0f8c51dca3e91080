"""The log table: every migration of this history inserts its id once."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000001_create_crash_log")
def upgrade():
    op.create_table(
        "crash_log",
        op.column("id", t.BigInt, primary_key=True, autoincrement=True),
        op.column("migration", t.String(120), nullable=False),
    )
    op.execute("INSERT INTO crash_log (migration) VALUES ('20260301T000001_create_crash_log')")
