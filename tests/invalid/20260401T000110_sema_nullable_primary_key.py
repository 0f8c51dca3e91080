# EXPECT: 10:82: error: a primary-key column cannot be nullable=True
# EXIT: 1
"""A nullable primary key."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000110_sema_nullable_primary_key")
def upgrade():
    op.create_table("pets", op.column("id", t.BigInt, primary_key=True, nullable=True))
