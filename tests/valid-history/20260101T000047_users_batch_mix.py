"""Add, drop, rename and index in one batch: one SQLite rebuild."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000047_users_batch_mix")
def upgrade():
    with op.batch("users") as b:
        b.add_column("score", t.Int, nullable=False, default=0)
        b.drop_column("phone_number")
        b.rename_column("name", "full_name")
        b.create_index("ix_users_full_name", ["full_name"])
        b.drop_index("ix_users_full_name")
        b.create_index("ix_users_score", ["score"], unique=False)
