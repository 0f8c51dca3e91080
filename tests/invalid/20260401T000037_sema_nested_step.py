# EXPECT: 11:9: error: op.step needs a Python runtime; joryuc compiles a declarative subset
# EXPECT: 13:9: error: 'return' statements are Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)
# EXIT: 1
"""@op.step inside upgrade()."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000037_sema_nested_step")
def upgrade():
    @op.step
    def wait(conn, dialect, checkpoint):
        return True
