# EXPECT: 10:5: error: joryuc compiles a declarative subset: the one assignment allowed in a function is `d = op.dialect.name`
# EXIT: 1
"""An assignment in a function body."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000038_sema_assignment")
def upgrade():
    table = "users"
    op.drop_table(table)
