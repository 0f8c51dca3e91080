# EXPECT: 10:48: error: default= is a string, which does not fit a t.Int column
# EXIT: 1
"""A string default for an integer column."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000059_sema_default_type")
def upgrade():
    op.add_column("users", "n", t.Int, default="zero")
