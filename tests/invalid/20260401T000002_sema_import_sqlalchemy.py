# EXPECT: 6:24: error: joryuc runs no Python: 'from sqlalchemy import Column' cannot be imported
# EXIT: 1
"""sqlalchemy beyond the tolerated text."""
import joryu
from joryu import op, types as t
from sqlalchemy import Column


@joryu.migration(id="20260401T000002_sema_import_sqlalchemy")
def upgrade():
    pass
