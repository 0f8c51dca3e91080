"""A unique constraint."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000010_teams_unique_slug")
def upgrade():
    with op.batch("teams") as b:
        b.create_unique_constraint("uq_teams_slug", ["slug"])
