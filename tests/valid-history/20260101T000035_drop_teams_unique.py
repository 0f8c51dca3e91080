"""Drop a unique constraint."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000035_drop_teams_unique")
def upgrade():
    with op.batch("teams") as b:
        b.drop_constraint("uq_teams_slug")
