# EXPECT: 10:16: error: unterminated string literal
# EXIT: 1
"""A string literal without its closing quote."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000140_lex_unterminated_string")
def upgrade():
    op.execute("UPDATE users SET x = 1)
