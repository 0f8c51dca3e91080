# EXPECT: 6:8: error: joryuc runs no Python: 'os' cannot be imported
# EXIT: 1
"""A module constant computed by a call."""
import joryu
from joryu import op, types as t
import os
URL = os.getenv("URL")


@joryu.migration(id="20260401T000006_sema_const_call")
def upgrade():
    pass
