import joryu
from joryu import op, types as t


@joryu.migration(id="20260201T000000_a")
def upgrade():
    op.create_foreign_key("fk_orders_user2", "orders", "users", ["user_id"], ["id"])
