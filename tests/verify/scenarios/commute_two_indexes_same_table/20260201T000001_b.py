import joryu
from joryu import op, types as t


@joryu.migration(id="20260201T000001_b")
def upgrade():
    op.create_index("ix_users_name_b", "users", ["name"], unique=True)
