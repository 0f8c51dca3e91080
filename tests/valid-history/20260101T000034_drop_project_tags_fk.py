"""Drop a foreign key."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000034_drop_project_tags_fk")
def upgrade():
    with op.batch("project_tags") as b:
        b.drop_constraint("fk_project_tags_tag")
