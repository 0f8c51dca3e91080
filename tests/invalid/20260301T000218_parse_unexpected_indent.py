# EXPECT: 11:9: error: unexpected indent
# EXIT: 1
"""A line indented for no block."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000218_parse_unexpected_indent")
def upgrade():
    op.drop_table("a")
        op.drop_table("b")
