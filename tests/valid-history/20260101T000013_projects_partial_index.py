"""A partial index where the dialect has one."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000013_projects_partial_index")
def upgrade():
    if op.dialect.name == "mysql":
        op.create_index("ix_projects_active", "projects", ["team_id", "status"])
    else:
        op.create_index("ix_projects_active", "projects", ["team_id"], where="status = 'active'")
