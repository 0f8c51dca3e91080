# EXPECT: 10:25: error: escape '\x00' makes a NUL character, which SQL text cannot hold
# EXIT: 1
"""An escape that makes a NUL character."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000207_lex_nul_escape")
def upgrade():
    op.execute("SELECT '\x00'")
