"""CREATE INDEX CONCURRENTLY on PostgreSQL (outside a transaction)."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000025_concurrent_title_index", transaction_mode="none")
def upgrade():
    op.create_index("ix_projects_title", "projects", ["title"], concurrent=True, method="btree")
