"""Rename and tighten a column in one batch (a rebuild on SQLite)."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000019_areas_title")
def upgrade():
    with op.batch("areas") as b:
        b.rename_column("label", "title")
        b.alter_column("title", nullable=False)
        b.drop_index("uq_regions_code")
        b.create_index("ix_areas_code", ["code"], unique=True)
    op.execute("INSERT INTO crash_log (migration) VALUES ('20260301T000019_areas_title')")
