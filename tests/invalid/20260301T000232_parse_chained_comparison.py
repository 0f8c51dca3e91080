# EXPECT: 10:8: error: chained comparisons are not supported
# EXIT: 1
"""A chained comparison."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000232_parse_chained_comparison")
def upgrade():
    if op.dialect.name == "mysql" == "mariadb":
        pass
