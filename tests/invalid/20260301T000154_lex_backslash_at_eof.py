# EXPECT: 13:7: error: backslash continuation at the end of the file
# EXIT: 1
"""A backslash continuation as the last thing in the file."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000154_lex_backslash_at_eof")
def upgrade():
    op.drop_table("users")


X = 1 \