"""GIN and GiST indexes, PostgreSQL only."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000024_pg_index_methods", dialects=["postgresql"])
def upgrade():
    op.create_index("ix_projects_tags", "projects", ["tags"], method="gin")
    op.create_index("ix_projects_search", "projects", ["search"], method="gist")
    op.create_index("ix_projects_team_hash", "projects", ["team_id"], method="hash")
