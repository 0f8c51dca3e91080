# EXPECT: 6:8: error: joryuc runs no Python: 'os' cannot be imported
# EXIT: 1
"""Importing anything but joryu."""
import joryu
from joryu import op, types as t
import os


@joryu.migration(id="20260401T000000_sema_import_os")
def upgrade():
    pass
