"""Plain column adds: SQLite's ALTER TABLE does them directly."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000005_add_user_columns")
def upgrade():
    op.add_column("users", "phone", t.String(20))
    op.add_column("users", "bio", t.Text, comment="about me")
    op.add_column("users", "login_count", t.Int, nullable=False, default=0, on_mismatch="skip")
