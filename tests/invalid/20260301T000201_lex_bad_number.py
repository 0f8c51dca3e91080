# EXPECT: 10:33: error: invalid number literal '12abc'
# EXIT: 1
"""Digits run into letters."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000201_lex_bad_number")
def upgrade():
    op.bulk_insert("t", [{"id": 12abc}])
