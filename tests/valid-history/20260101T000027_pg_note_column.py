"""The PostgreSQL side of the team note."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000027_pg_note_column", dialects=["postgresql"], group="team_note")
def upgrade():
    op.add_column("teams", "note", t.Text)
