"""Make users.email NOT NULL."""
import joryu
from joryu import op

@joryu.migration(id="20260601T120000_email_not_null")
def upgrade():
    with op.batch("users") as batch:
        batch.alter_column("email", nullable=False)
    # Postgres / MySQL: ALTER TABLE users ALTER COLUMN email SET NOT NULL
    # SQLite: create new table → copy data → rename
