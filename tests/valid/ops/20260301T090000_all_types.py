"""Every type of joryu.types, on one table."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T090000_all_types", tags=["schema", "types"])
def upgrade():
    op.create_table(
        "type_zoo",
        op.column("id", t.BigSerial, primary_key=True),
        op.column("small", t.SmallInt),
        op.column("regular", t.Int, nullable=False, default=0),
        op.column("big", t.BigInt(), default=-9_000_000_000),
        op.column("ratio", t.Float, default=0.5),
        op.column("precise", t.Double),
        op.column("money", t.Decimal(12, 2), default=0),
        op.column("loose_money", t.Decimal),
        op.column("scaled", t.Decimal(precision=10)),
        op.column("flag", t.Bool, nullable=False, default=False),
        op.column("code", t.String(8), default="none"),
        op.column("code2", t.String(length=255)),
        op.column("body", t.Text, comment="free text"),
        op.column("blob", t.Binary),
        op.column("digest", t.Binary(32)),
        op.column("born", t.Date, default="2000-01-01"),
        op.column("alarm", t.Time),
        op.column("seen_at", t.Timestamp, server_default=t.now()),
        op.column("doc", t.Json),
        op.column("uid", t.Uuid, unique=True),
        op.column("status", t.Enum("new", "active", "gone", name="zoo_status"), default="new"),
        comment="one column of each type",
    )
    if op.dialect.name == "postgresql":
        op.add_column("type_zoo", "span", t.Interval)
        op.add_column("type_zoo", "tags", t.Array(t.String(40)))
        op.add_column("type_zoo", "search", t.dialect("postgresql.tsvector"))
    elif op.dialect.name == "sqlite":
        op.add_column("type_zoo", "rowid_pk", t.dialect("sqlite.integer"))


@joryu.downgrade
def downgrade():
    op.drop_table("type_zoo")
