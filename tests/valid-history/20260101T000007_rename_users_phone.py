"""Rename a column."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000007_rename_users_phone")
def upgrade():
    op.rename_column("users", "phone", "phone_number")
