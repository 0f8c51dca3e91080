"""Projects belong to teams."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000012_projects_fk", depends_on=["20260101T000011_create_projects"])
def upgrade():
    with op.batch("projects") as b:
        b.create_foreign_key("fk_projects_team", "teams", ["team_id"], ["id"], on_delete="RESTRICT", on_update="CASCADE")
