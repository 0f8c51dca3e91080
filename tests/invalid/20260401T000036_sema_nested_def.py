# EXPECT: 10:9: error: a function inside a migration needs a Python runtime; joryuc compiles a declarative subset
# EXIT: 1
"""A function inside upgrade()."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000036_sema_nested_def")
def upgrade():
    def normalize(conn, dialect, checkpoint):
        pass
    op.execute("SELECT 1")
