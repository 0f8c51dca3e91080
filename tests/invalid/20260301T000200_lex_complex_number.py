# EXPECT: 10:33: error: complex numbers are not supported
# EXIT: 1
"""An imaginary number."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000200_lex_complex_number")
def upgrade():
    op.bulk_insert("t", [{"id": 2j}])
