"""Profile columns on users: a display name and the normalized email."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000000_fuzz")
def upgrade():
    op.add_column("users", "display_name", t.String(100), comment="shown in the UI")
    op.add_column("users", "email_normalized", t.String(320))
    op.add_column("users", "is_active", t.Bool, nullable=False, default=True)


@joryu.downgrade
def downgrade():
    # Drops the profile columns (their data is lost); SQLite rebuilds the table.
    with op.batch("users") as b:
        b.drop_column("is_active")
        b.drop_column("email_normalized")
        b.drop_column("display_name")
