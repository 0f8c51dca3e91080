"""A view in each dialect's SQL, with reverse= and a replay hint."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000016_active_projects_view")
def upgrade():
    op.execute(
        {
            "postgresql": "CREATE VIEW active_projects AS SELECT id, title FROM projects WHERE status = 'active'",
            "mysql": "CREATE VIEW active_projects AS SELECT id, title FROM projects WHERE status = 'active'",
            "default": "CREATE VIEW active_projects AS SELECT id, title FROM projects WHERE status = 'active'",
        },
        reverse="DROP VIEW active_projects",
    )
    op.declare_schema_change(
        view_added=("active_projects", "SELECT id, title FROM projects WHERE status = 'active'"),
    )
