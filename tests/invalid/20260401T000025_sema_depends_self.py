# EXPECT: 8:70: error: migration "20260401T000025_sema_depends_self" depends on itself
# EXIT: 1
"""A migration depending on itself."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000025_sema_depends_self", depends_on=["20260401T000025_sema_depends_self"])
def upgrade():
    pass
