# EXPECT: 10:25: error: \N{...} escapes are not supported
# EXIT: 1
"""A named Unicode escape."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000204_lex_named_escape")
def upgrade():
    op.execute("SELECT '\N{EM DASH}'")
