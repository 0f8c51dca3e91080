"""Teams: a Serial key and most column types."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000002_create_teams")
def upgrade():
    op.create_table(
        "teams",
        op.column("id", t.Serial, primary_key=True),
        op.column("name", t.String(100), nullable=False),
        op.column("slug", t.String(50)),
        op.column("budget", t.Decimal(12, 2), default=0),
        op.column("rating", t.Float),
        op.column("score", t.Double, default=1.5),
        op.column("size", t.SmallInt),
        op.column("ext_id", t.Uuid),
        op.column("logo", t.Binary),
        op.column("thumb", t.Binary(64)),
        op.column("settings", t.Json),
        op.column("founded", t.Date),
        op.column("standup", t.Time),
        op.column("headcount", t.Int, nullable=False, default=0),
        op.column("motto", t.String(200), default="it's a \\ team", comment="shown on the team page"),
    )
