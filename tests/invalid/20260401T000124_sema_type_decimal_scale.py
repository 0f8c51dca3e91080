# EXPECT: 10:46: error: t.Decimal: the scale must be between 0 and 5, not 6
# EXIT: 1
"""Decimal scale above precision."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000124_sema_type_decimal_scale")
def upgrade():
    op.add_column("users", "m", t.Decimal(5, 6))
