"""Tighten nullability."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000033_users_name_required")
def upgrade():
    with op.batch("users") as b:
        b.alter_column("name", nullable=False, server_default="''")
