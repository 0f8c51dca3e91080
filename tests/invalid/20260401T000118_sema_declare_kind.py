# EXPECT: 10:71: error: "kind" must be "fk", "unique" or "check"
# EXIT: 1
"""constraint_added with a bad kind."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000118_sema_declare_kind")
def upgrade():
    op.declare_schema_change(constraint_added=("c", "users", {"kind": "foreign"}))
