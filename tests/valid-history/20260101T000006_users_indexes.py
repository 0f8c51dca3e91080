"""Indexes, one over a TEXT column (prefix on MySQL)."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000006_users_indexes")
def upgrade():
    op.create_index("ix_users_name", "users", ["name"])
    op.create_index("ix_users_created", "users", ["created_at", "id"], unique=True)
