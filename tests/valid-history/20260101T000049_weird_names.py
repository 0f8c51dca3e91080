"""Identifiers with spaces, quotes, reserved words, mixed case and non-ASCII."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000049_weird_names")
def upgrade():
    op.create_table(
        "Order \"Items\"",
        op.column("id", t.Int, primary_key=True),
        op.column("select", t.String(30), default="a'b"),
        op.column("MixedCase", t.Int),
        op.column("naïve `col`", t.Text),
    )
    op.create_index("ix weird", "Order \"Items\"", ["select"])
