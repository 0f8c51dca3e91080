"""Add the users table."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000000_fuzz", tags=["schema"])
def upgrade():
    op.create_table(
        "users",
        op.column("id", t.BigInt, primary_key=True, autoincrement=True),
        op.column("email", t.String(320), nullable=False, unique=True),
        op.column("created_at", t.Timestamp, nullable=False, server_default=t.now()),
    )


@joryu.downgrade
def downgrade():
    op.drop_table("users")
