import joryu
from joryu import op, types as t


@joryu.migration(id="20260201T000000_a")
def upgrade():
    op.create_check_constraint("ck_users_age", "users", "age >= 0")
