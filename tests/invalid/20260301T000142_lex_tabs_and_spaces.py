# EXPECT: 11:1: error: inconsistent use of tabs and spaces in indentation
# EXIT: 1
"""Tabs and spaces mixed in indentation."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000142_lex_tabs_and_spaces")
def upgrade():
    op.drop_table("a")
	op.drop_table("b")
