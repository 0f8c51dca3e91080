# EXPECT: 10:43: error: t.Decimal: the precision must be between 1 and 65, not 70
# EXIT: 1
"""Decimal precision out of range."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000123_sema_type_decimal_range")
def upgrade():
    op.add_column("users", "m", t.Decimal(70, 2))
