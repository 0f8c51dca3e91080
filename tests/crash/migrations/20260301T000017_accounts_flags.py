"""Two columns with constant defaults on the big table."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000017_accounts_flags")
def upgrade():
    op.add_column("accounts", "flag", t.Bool, nullable=False, default=False)
    op.add_column("accounts", "status", t.String(16), default="new")
    op.execute("INSERT INTO crash_log (migration) VALUES ('20260301T000017_accounts_flags')")
