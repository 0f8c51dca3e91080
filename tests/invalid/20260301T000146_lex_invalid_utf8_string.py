# EXPECT: 10:22: error: invalid UTF-8 byte 0xFF in string literal
# EXIT: 1
"""A byte that is not UTF-8 inside a string."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000146_lex_invalid_utf8_string")
def upgrade():
    op.drop_table("usÿers")
