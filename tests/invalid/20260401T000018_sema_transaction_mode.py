# EXPECT: 8:79: error: transaction_mode="per_stepp" is not one of "per_step", "per_migration", "none"
# EXIT: 1
"""An unknown transaction_mode."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000018_sema_transaction_mode", transaction_mode="per_stepp")
def upgrade():
    pass
