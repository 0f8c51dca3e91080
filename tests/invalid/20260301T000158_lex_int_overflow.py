# EXPECT: 10:33: error: integer literal '99999999999999999999' does not fit in 64 bits
# EXIT: 1
"""An integer past 64 bits."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000158_lex_int_overflow")
def upgrade():
    op.bulk_insert("t", [{"id": 99999999999999999999}])
