# EXPECT: 8:21: error: id "20261301T000000_Bad" is not a valid migration id: the date of the timestamp does not exist
# EXIT: 1
"""A malformed id."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20261301T000000_Bad")
def upgrade():
    pass
