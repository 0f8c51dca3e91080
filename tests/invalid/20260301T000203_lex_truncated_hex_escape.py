# EXPECT: 10:25: error: truncated \x escape: expected 2 hex digits
# EXIT: 1
"""A hex escape with one digit."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000203_lex_truncated_hex_escape")
def upgrade():
    op.execute("SELECT '\x4'")
