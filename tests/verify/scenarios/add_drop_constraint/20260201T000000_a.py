import joryu
from joryu import op, types as t


@joryu.migration(id="20260201T000000_a")
def upgrade():
    op.drop_constraint("fk_orders_user", "orders")
