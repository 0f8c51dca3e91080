"""Widen a column and relax another: a rebuild on SQLite."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000008_alter_login_count")
def upgrade():
    with op.batch("users") as b:
        b.alter_column("login_count", type=t.BigInt)
        b.alter_column("bio", nullable=True, comment="about the user")
