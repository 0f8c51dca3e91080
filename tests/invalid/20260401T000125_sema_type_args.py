# EXPECT: 10:33: error: t.Text takes no arguments
# EXIT: 1
"""Arguments to a type that takes none."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000125_sema_type_args")
def upgrade():
    op.add_column("users", "b", t.Text(100))
