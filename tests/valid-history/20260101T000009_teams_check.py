"""A check constraint."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000009_teams_check")
def upgrade():
    with op.batch("teams") as b:
        b.create_check_constraint("ck_teams_headcount", "headcount >= 0")
