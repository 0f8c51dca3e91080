# EXPECT: 11:5: error: expected ')' to close '(' at 10:18
# EXIT: 1
"""A call whose ')' is missing, so the next line joins it."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000220_parse_unclosed_paren")
def upgrade():
    op.drop_table("a"
    op.drop_table("b")
