# EXPECT: 10:33: error: leading zeros in decimal integer literals are not permitted
# EXIT: 1
"""A decimal integer with a leading zero."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000159_lex_leading_zero")
def upgrade():
    op.bulk_insert("t", [{"id": 0755}])
