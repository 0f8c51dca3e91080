# EXPECT: 10:10: error: joryuc compiles only `with op.batch(table) as b:` blocks
# EXIT: 1
"""Another context manager."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000142_sema_with_other")
def upgrade():
    with open("x.sql") as f:
        pass
