"""Column ops with every modifier."""
import joryu
from joryu import op, types as t


@joryu.migration(
    id="20260301T090100_columns",
    depends_on=["20260301T090000_all_types"],
    on_mismatch="alter",
)
def upgrade():
    op.add_column(
        "type_zoo", "nick", t.String(50),
        nullable=False,
        default="anon",
        unique=True,
        comment="a nickname",
        on_mismatch="skip",
    )
    op.add_column("type_zoo", "nick_lower", t.String(50), generated="lower(nick)")
    op.add_column("type_zoo", "visits", t.Int, server_default="0")
    op.add_column(table="type_zoo", name="score", type=t.Double, nullable=True)
    op.alter_column("type_zoo", "visits", type=t.BigInt, nullable=False)
    op.alter_column("type_zoo", "visits", server_default=None)
    op.alter_column("type_zoo", "nick", default=None, comment="renamed soon")
    op.alter_column("type_zoo", "seen_at", server_default=op.func.now())
    op.rename_column("type_zoo", "nick", "nickname")
    op.drop_column("type_zoo", "score")
    op.rename_table("type_zoo", "zoo")


@joryu.downgrade
def downgrade():
    op.rename_table("zoo", "type_zoo")
    op.rename_column("type_zoo", "nickname", "nick")
    op.drop_column("type_zoo", "visits")
    op.drop_column("type_zoo", "nick_lower")
    op.drop_column("type_zoo", "nick")
