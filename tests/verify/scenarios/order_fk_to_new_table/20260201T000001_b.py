import joryu
from joryu import op, types as t


@joryu.migration(id="20260201T000001_b")
def upgrade():
    op.add_column("users", "team_id", t.BigInt)
    op.create_foreign_key("fk_users_team", "users", "teams", ["team_id"], ["id"])
