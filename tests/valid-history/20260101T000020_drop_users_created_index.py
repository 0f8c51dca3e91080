"""Drop an index (the table is taken from the replayed schema)."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000020_drop_users_created_index")
def upgrade():
    op.drop_index("ix_users_created")
