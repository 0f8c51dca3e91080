# EXPECT: 10:16: error: bytes literals are not supported in migrations
# EXIT: 1
"""A bytes literal."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000156_lex_bytes_literal")
def upgrade():
    op.execute(b"DELETE FROM users")
