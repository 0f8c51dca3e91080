"""A region per account, with a foreign key (a rebuild on SQLite)."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000005_accounts_region")
def upgrade():
    op.add_column("accounts", "region_id", t.Int)
    with op.batch("accounts") as b:
        b.create_foreign_key("fk_accounts_region", "regions", ["region_id"], ["id"])
    op.execute("INSERT INTO crash_log (migration) VALUES ('20260301T000005_accounts_region')")
