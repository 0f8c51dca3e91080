# EXPECT: 10:44: error: closing ')' does not match '[' at 10:36
# EXIT: 1
"""A bracket closed by the wrong kind."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000149_lex_mismatched_bracket")
def upgrade():
    op.create_index("ix", "users", ["email")]
