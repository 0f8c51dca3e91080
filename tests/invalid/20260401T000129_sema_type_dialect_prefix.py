# EXPECT: 10:43: error: t.dialect("postgre.tsvector"): unknown dialect "postgre"
# EXIT: 1
"""t.dialect with an unknown dialect."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000129_sema_type_dialect_prefix")
def upgrade():
    op.add_column("users", "s", t.dialect("postgre.tsvector"))
