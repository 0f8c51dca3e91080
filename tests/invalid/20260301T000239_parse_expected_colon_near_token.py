# EXPECT: 10:36: error: expected ':', found 'x'
# EXIT: 1
"""An if condition followed by a stray name."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000239_parse_expected_colon_near_token")
def upgrade():
    if op.dialect.name == "sqlite" x:
        pass
