# EXPECT: 13:12: error: expected 'import', found 'op'
# EXIT: 1
"""from X without import."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000223_parse_from_without_import")
def upgrade():
    pass


from joryu op
