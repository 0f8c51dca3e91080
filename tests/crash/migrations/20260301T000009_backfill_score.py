"""The backfill: 200,000 rows in batches of 10,000; hits counts how often a row was updated."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000009_backfill_score")
def upgrade():
    op.backfill(
        "accounts",
        set={"score": "(id * 7) % 1000 + grp", "hits": "hits + 1"},
        key="id",
        batch_size=10000,
    )
    op.execute("INSERT INTO crash_log (migration) VALUES ('20260301T000009_backfill_score')")
