# EXPECT: 10:43: error: t.dialect("tsvector") needs "<dialect>.<type>"
# EXIT: 1
"""t.dialect without a dot."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000207_sema_dialect_type_format")
def upgrade():
    op.add_column("users", "s", t.dialect("tsvector"))
