# EXPECT: 12:31: error: invalid syntax near ','
# EXPECT: 13:24: error: invalid syntax near 'op'
# EXPECT: 14:9: error: invalid syntax near '='
# EXIT: 1
"""Several independent syntax errors, each reported once."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000229_parse_several_errors")
def upgrade():
    op.drop_table("a" "b" "c",,)
    op.drop_table("d") op.drop_table("e")
    x = = 1
    op.drop_table("f")
