"""Change defaults and comments in one batch."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000032_teams_defaults")
def upgrade():
    with op.batch("teams") as b:
        b.alter_column("headcount", server_default="1")
        b.alter_column("name", comment="the team name")
        b.alter_column("rating", default=None)
