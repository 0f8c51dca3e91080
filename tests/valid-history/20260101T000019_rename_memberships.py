"""Rename a table."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000019_rename_memberships")
def upgrade():
    op.rename_table("memberships", "team_members")
