# EXPECT: 10:27: error: unknown dialect "postgress"
# EXIT: 1
"""Comparing the dialect with a misspelled name."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000045_sema_condition_unknown_dialect")
def upgrade():
    if op.dialect.name == "postgress":
        op.execute("SELECT 1")
