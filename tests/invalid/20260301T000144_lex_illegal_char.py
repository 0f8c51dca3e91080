# EXPECT: 10:19: error: invalid character '$'
# EXIT: 1
"""A character that Python does not know."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000144_lex_illegal_char")
def upgrade():
    op.drop_table($users)
