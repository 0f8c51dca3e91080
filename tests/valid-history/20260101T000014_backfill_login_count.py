"""A declarative backfill walking the primary key."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000014_backfill_login_count")
def upgrade():
    op.backfill(
        "users",
        set={"login_count": "0", "is_admin": "is_admin"},
        where="login_count IS NULL",
        key="id",
        batch_size=500,
    )
