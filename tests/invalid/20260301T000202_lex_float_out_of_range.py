# EXPECT: 10:32: error: float literal '1e999' is out of range
# EXIT: 1
"""A float literal that overflows."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000202_lex_float_out_of_range")
def upgrade():
    op.bulk_insert("t", [{"x": 1e999}])
