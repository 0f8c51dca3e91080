# EXPECT: 10:36: error: t.Interval is not supported on sqlite
# EXIT: 6
"""dialects= keeps sqlite, which lacks Interval."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000136_sema_dialects_restrict_wrong", dialects=["postgresql", "sqlite"])
def upgrade():
    op.add_column("users", "span", t.Interval)
