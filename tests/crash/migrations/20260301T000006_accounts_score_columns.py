"""The backfill target and its run counter, and a check (one rebuild on SQLite)."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000006_accounts_score_columns")
def upgrade():
    with op.batch("accounts") as b:
        b.add_column("score", t.Int)
        b.add_column("hits", t.Int, nullable=False, default=0)
        b.create_check_constraint("ck_accounts_balance", "balance >= 0")
    op.execute("INSERT INTO crash_log (migration) VALUES ('20260301T000006_accounts_score_columns')")
