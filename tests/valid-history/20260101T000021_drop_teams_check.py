"""Drop a check constraint (its kind comes from the schema)."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000021_drop_teams_check")
def upgrade():
    with op.batch("teams") as b:
        b.drop_constraint("ck_teams_headcount")
