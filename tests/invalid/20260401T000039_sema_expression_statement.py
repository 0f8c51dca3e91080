# EXPECT: 10:5: error: joryuc compiles a declarative subset: a function body holds op.* calls, `with op.batch(...) as b:`, `if op.dialect.name ...:`, pass and docstrings
# EXIT: 1
"""A bare name as a statement."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000039_sema_expression_statement")
def upgrade():
    users
