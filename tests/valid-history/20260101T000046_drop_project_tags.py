"""Drop a table; the downgrade restores it with its keys."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000046_drop_project_tags")
def upgrade():
    op.drop_table("project_tags")
