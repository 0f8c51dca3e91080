"""Tighten and rename a column, swap an index, in one batch (a rebuild on SQLite)."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000019_areas_title")
def upgrade():
    # alter before the rename: written the other way round (rename, then
    # alter "title"), the block's guard checks the alter against the table
    # as it was before the block and fails a fresh apply (an open guards bug
    # at the time of writing)
    with op.batch("areas") as b:
        b.alter_column("label", nullable=False)
        b.rename_column("label", "title")
        b.drop_index("uq_regions_code")
        b.create_index("ix_areas_code", ["code"], unique=True)
    op.execute("INSERT INTO crash_log (migration) VALUES ('20260301T000019_areas_title')")
