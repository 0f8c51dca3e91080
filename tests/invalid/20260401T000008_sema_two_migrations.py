# EXPECT: 13:2: error: a second @joryu.migration in one file
# EXIT: 1
"""Two @joryu.migration functions in one file."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000008_sema_two_migrations")
def upgrade():
    pass


@joryu.migration(id="20260401T000008_sema_two_migrations")
def upgrade_again():
    pass
