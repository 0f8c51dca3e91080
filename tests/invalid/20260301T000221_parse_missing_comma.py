# EXPECT: 10:43: error: expected ',' or ')', found 'nullable'
# EXIT: 1
"""Two arguments without a comma between them."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000221_parse_missing_comma")
def upgrade():
    op.add_column("users" "email", t.Text nullable=True)
