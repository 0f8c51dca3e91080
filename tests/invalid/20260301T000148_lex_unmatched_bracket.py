# EXPECT: 10:27: error: unmatched ')'
# EXIT: 1
"""A closing bracket with nothing to close."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000148_lex_unmatched_bracket")
def upgrade():
    op.drop_table("users"))
