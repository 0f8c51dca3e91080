# EXPECT: 12:7: error: unindent does not match any outer indentation level
# EXIT: 1
"""A dedent to a column that matches no block."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000143_lex_bad_dedent")
def upgrade():
    if op.dialect.name == "sqlite":
        op.drop_table("a")
      op.drop_table("b")
