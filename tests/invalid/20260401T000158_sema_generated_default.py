# EXPECT: 10:71: error: a generated column cannot have a default
# EXIT: 1
"""A generated column with a default."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000158_sema_generated_default")
def upgrade():
    op.add_column("users", "n", t.Text, generated="lower(a)", default="x")
