import joryu
from joryu import op, types as t


@joryu.migration(id="20260201T000001_b")
def upgrade():
    op.create_check_constraint("ck_users_age", "users", "age < 200")
