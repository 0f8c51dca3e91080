"""The settled schema every scenario starts from."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000000_base")
def upgrade():
    op.create_table(
        "users",
        op.column("id", t.BigSerial, primary_key=True),
        op.column("email", t.Text),
        op.column("name", t.Text),
        op.column("status", t.Text),
        op.column("age", t.Int),
        op.column("kind", t.Enum("a", "b", name="user_kind")),
    )
    op.create_index("ix_users_email", "users", ["email"])
    op.create_table(
        "orders",
        op.column("id", t.BigSerial, primary_key=True),
        op.column("user_id", t.BigInt),
        op.column("total", t.Decimal(12, 2)),
        op.column("note", t.Text),
    )
    op.create_foreign_key("fk_orders_user", "orders", "users", ["user_id"], ["id"])
