"""Rename a column of the big table."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000008_rename_note")
def upgrade():
    op.rename_column("accounts", "note", "memo")
    op.execute("INSERT INTO crash_log (migration) VALUES ('20260301T000008_rename_note')")
