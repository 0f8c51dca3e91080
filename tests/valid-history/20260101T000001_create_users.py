"""Users: identity key, unique email, defaults of every kind."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000001_create_users", tags=["schema"])
def upgrade():
    op.create_table(
        "users",
        op.column("id", t.BigInt, primary_key=True, autoincrement=True),
        op.column("email", t.String(320), nullable=False, unique=True),
        op.column("name", t.Text),
        op.column("created_at", t.Timestamp, nullable=False, server_default=t.now()),
        op.column("is_admin", t.Bool, nullable=False, default=False),
        comment="application users",
        on_mismatch="error",
    )
