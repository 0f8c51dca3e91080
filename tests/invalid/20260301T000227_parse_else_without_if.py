# EXPECT: 11:5: error: invalid syntax near 'else'
# EXIT: 1
"""An else with no if."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000227_parse_else_without_if")
def upgrade():
    op.drop_table("a")
    else:
        pass
