import joryu
from joryu import op, types as t


@joryu.migration(id="20260201T000000_a")
def upgrade():
    op.create_index("ix_users_name_a", "users", ["name"])
