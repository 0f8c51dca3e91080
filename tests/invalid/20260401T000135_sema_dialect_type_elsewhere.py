# EXPECT: 10:38: error: t.dialect("postgresql.tsvector") is a postgresql type, but this op is compiled for mysql and sqlite
# EXIT: 6
"""A postgresql type compiled for the others."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000135_sema_dialect_type_elsewhere")
def upgrade():
    op.add_column("users", "search", t.dialect("postgresql.tsvector"))
