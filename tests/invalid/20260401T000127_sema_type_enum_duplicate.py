# EXPECT: 10:45: error: enum label "a" is given twice
# EXIT: 1
"""A repeated enum label."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000127_sema_type_enum_duplicate")
def upgrade():
    op.add_column("users", "s", t.Enum("a", "a", name="s"))
