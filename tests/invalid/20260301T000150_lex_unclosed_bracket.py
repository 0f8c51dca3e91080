# EXPECT: 13:10: error: '[' was never closed
# EXIT: 1
"""A bracket still open at the end of the file."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000150_lex_unclosed_bracket")
def upgrade():
    op.drop_table("users")


TABLES = ["a", "b"
