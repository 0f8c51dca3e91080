"""NOT NULL after the backfill (a rebuild on SQLite)."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000010_score_not_null")
def upgrade():
    with op.batch("accounts") as b:
        b.alter_column("score", nullable=False)
    op.execute("INSERT INTO crash_log (migration) VALUES ('20260301T000010_score_not_null')")
