"""Rename a table that a foreign key points at."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000014_rename_regions")
def upgrade():
    op.rename_table("regions", "areas")
    op.execute("INSERT INTO crash_log (migration) VALUES ('20260301T000014_rename_regions')")
