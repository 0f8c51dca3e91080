# EXPECT: 10:10: error: invalid UTF-8 byte 0xE9 in comment
# EXIT: 1
"""A byte that is not UTF-8 inside a comment."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000147_lex_invalid_utf8_comment")
def upgrade():
    # café latin-1
    op.drop_table("users")
