"""Drop a column; the downgrade restores it with its comment."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000018_drop_users_bio")
def upgrade():
    op.drop_column("users", "bio")
