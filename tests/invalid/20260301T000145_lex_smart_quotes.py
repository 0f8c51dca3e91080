# EXPECT: 10:19: error: invalid character '“' (U+201C)
# EXIT: 1
"""Typographic quotes pasted from a document."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000145_lex_smart_quotes")
def upgrade():
    op.drop_table(“users”)
