"""Index the backfilled column (200,000 rows)."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000015_score_index")
def upgrade():
    op.create_index("ix_accounts_score", "accounts", ["score", "grp"])
    op.execute("INSERT INTO crash_log (migration) VALUES ('20260301T000015_score_index')")
