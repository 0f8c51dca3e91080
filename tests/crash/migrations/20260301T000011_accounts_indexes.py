"""Indexes on the big table, built after the backfill."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000011_accounts_indexes")
def upgrade():
    op.create_index("ix_accounts_grp", "accounts", ["grp"])
    op.create_index("ix_accounts_region", "accounts", ["region_id"])
    op.execute("INSERT INTO crash_log (migration) VALUES ('20260301T000011_accounts_indexes')")
