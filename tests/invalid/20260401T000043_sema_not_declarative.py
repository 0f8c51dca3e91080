# EXPECT: 10:27: error: the '+' operator is Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)
# EXIT: 1
"""A computed argument."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000043_sema_not_declarative")
def upgrade():
    op.drop_table("users" + "_old")
