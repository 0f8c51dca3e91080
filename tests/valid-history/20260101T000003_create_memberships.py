"""Memberships: a composite key and an enum."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000003_create_memberships")
def upgrade():
    op.create_table(
        "memberships",
        op.column("team_id", t.Int, nullable=False),
        op.column("user_id", t.BigInt, nullable=False),
        op.column("role", t.Enum("owner", "member", "guest", name="member_role"), nullable=False, default="member"),
        primary_key=["team_id", "user_id"],
    )
