"""Drop a column."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000018_audit_drop_kind")
def upgrade():
    op.drop_column("audit", "kind")
    op.execute("INSERT INTO crash_log (migration) VALUES ('20260301T000018_audit_drop_kind')")
