# EXPECT: 5:19: error: joryu has no importable name 'opp'
# EXIT: 1
"""A name joryu does not export."""
import joryu
from joryu import opp, types as t


@joryu.migration(id="20260401T000001_sema_import_name")
def upgrade():
    pass
