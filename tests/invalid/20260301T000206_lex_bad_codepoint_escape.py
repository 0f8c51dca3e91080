# EXPECT: 10:25: error: escape '\U00110000' is not a valid Unicode code point
# EXIT: 1
"""A Unicode escape past U+10FFFF."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000206_lex_bad_codepoint_escape")
def upgrade():
    op.execute("SELECT '\U00110000'")
