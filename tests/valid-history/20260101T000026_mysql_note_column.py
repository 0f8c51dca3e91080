"""A MySQL-only type."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000026_mysql_note_column", dialects=["mysql", "mariadb"], group="team_note")
def upgrade():
    op.add_column("teams", "note", t.dialect("mysql.MEDIUMTEXT"))
