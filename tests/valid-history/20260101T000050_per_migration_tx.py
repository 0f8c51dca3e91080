"""transaction_mode per_migration, on_mismatch alter, and a column with every modifier."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000050_per_migration_tx", transaction_mode="per_migration", on_mismatch="alter")
def upgrade():
    op.add_column(
        "tags",
        "code",
        t.String(12),
        nullable=True,
        unique=True,
        comment="short code",
        on_mismatch="alter",
    )
    with op.batch("tags") as b:
        b.add_column("created_at", t.Timestamp, nullable=True, server_default=t.now())
