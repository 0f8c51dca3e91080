# EXPECT: 8:72: error: depends_on entry "users" is not a migration id: an id is a UTC timestamp YYYYMMDDTHHMMSS, '_' and a slug
# EXIT: 1
"""depends_on naming a table, not an id."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000024_sema_depends_format", depends_on=["users"])
def upgrade():
    pass
