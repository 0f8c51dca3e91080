"""Regions: a unique column and a comment (several statements in one step)."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000002_create_regions")
def upgrade():
    op.create_table(
        "regions",
        op.column("id", t.Int, primary_key=True),
        op.column("code", t.String(8), nullable=False, unique=True),
        op.column("label", t.Text, comment="shown to users"),
        comment="sales regions",
    )
    op.execute("INSERT INTO crash_log (migration) VALUES ('20260301T000002_create_regions')")
