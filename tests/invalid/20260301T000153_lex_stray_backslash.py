# EXPECT: 10:28: error: unexpected character after line continuation character '\'
# EXIT: 1
"""A backslash outside a string not at the end of a line."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000153_lex_stray_backslash")
def upgrade():
    op.drop_table("users") \ # continue
