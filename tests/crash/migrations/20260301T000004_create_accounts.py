"""Accounts: the big table of the history."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000004_create_accounts")
def upgrade():
    op.create_table(
        "accounts",
        op.column("id", t.BigInt, primary_key=True),
        op.column("grp", t.Int, nullable=False),
        op.column("name", t.String(64), nullable=False),
        op.column("balance", t.BigInt, nullable=False, default=0),
        op.column("note", t.Text),
    )
    op.execute("INSERT INTO crash_log (migration) VALUES ('20260301T000004_create_accounts')")
