# EXPECT: 8:96: error: "20260101T000000_a" is listed twice in depends_on
# EXIT: 1
"""The same dependency twice."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000026_sema_depends_duplicate", depends_on=["20260101T000000_a", "20260101T000000_a"])
def upgrade():
    pass
