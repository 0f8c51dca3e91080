import joryu
from joryu import op, types as t


@joryu.migration(id="20260201T000001_b")
def upgrade():
    op.create_foreign_key("fk_orders_user", "orders", "users", ["user_id"], ["id"], on_delete="CASCADE")
