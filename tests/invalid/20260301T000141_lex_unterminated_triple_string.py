# EXPECT: 13:8: error: unterminated triple-quoted string literal
# EXIT: 1
"""A triple-quoted string never closed."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000141_lex_unterminated_triple_string")
def upgrade():
    op.drop_table("users")


NOTE = """this text
runs to the end of the file
