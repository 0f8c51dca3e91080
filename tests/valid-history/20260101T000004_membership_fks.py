"""Foreign keys need a batch on SQLite (one table rebuild)."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000004_membership_fks")
def upgrade():
    with op.batch("memberships") as b:
        b.create_foreign_key("fk_memberships_team", "teams", ["team_id"], ["id"], on_delete="CASCADE")
        b.create_foreign_key("fk_memberships_user", "users", ["user_id"], ["id"], on_delete="CASCADE", on_update="NO ACTION")
