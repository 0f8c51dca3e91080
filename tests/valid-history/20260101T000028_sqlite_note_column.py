"""The SQLite side of the team note."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000028_sqlite_note_column", dialects=["sqlite"], group="team_note")
def upgrade():
    op.add_column("teams", "note", t.dialect("sqlite.TEXT"))
