"""The last migration: a marker row."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000020_crash_done")
def upgrade():
    op.create_table("crash_done", op.column("id", t.Int, primary_key=True), op.column("what", t.String(40)))
    op.bulk_insert("crash_done", [{"id": 1, "what": "all twenty applied"}])
    op.execute("INSERT INTO crash_log (migration) VALUES ('20260301T000020_crash_done')")
