# EXPECT: 14:20: error: expected ')', found '='
# EXIT: 1
"""A parameter with a default value."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000240_parse_default_parameter")
def upgrade():
    pass


@joryu.downgrade
def downgrade(force=False):
    pass
