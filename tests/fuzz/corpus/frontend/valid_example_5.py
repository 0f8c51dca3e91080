"""Orders, owned by users."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000000_fuzz", transaction_mode="per_migration")
def upgrade():
    op.create_table(
        "orders",
        op.column("id", t.BigInt, primary_key=True, autoincrement=True),
        op.column("user_id", t.BigInt, nullable=False),
        op.column("status", t.Enum("pending", "paid", "shipped", name="order_status"),
                  nullable=False, default="pending"),
        op.column("total", t.Decimal(12, 2), nullable=False, default=0),
        op.column("placed_at", t.Timestamp, nullable=False, server_default=t.now()),
    )
    op.create_index("ix_orders_user_id", "orders", ["user_id"])
    with op.batch("orders") as b:
        b.create_foreign_key("fk_orders_user", "users", ["user_id"], ["id"], on_delete="CASCADE")
        b.create_check_constraint("ck_orders_total_positive", "total >= 0")


@joryu.downgrade
def downgrade():
    op.drop_table("orders")
