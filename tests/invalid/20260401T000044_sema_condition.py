# EXPECT: 10:8: error: joryuc folds only conditions on op.dialect.name
# EXIT: 1
"""A condition on something else than the dialect."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000044_sema_condition")
def upgrade():
    if True:
        op.execute("SELECT 1")
