# EXPECT: 10:36: error: t.Interval is not supported on mysql and sqlite
# EXIT: 6
"""Interval compiled for mysql and sqlite."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000133_sema_interval_unsupported")
def upgrade():
    op.add_column("users", "span", t.Interval)
