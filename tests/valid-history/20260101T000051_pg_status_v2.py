"""Move a column to another enum type (through text), PostgreSQL only."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000051_pg_status_v2", dialects=["postgresql"])
def upgrade():
    op.alter_column(
        "projects",
        "status",
        type=t.Enum("draft", "active", "paused", "archived", "deleted", name="project_status_v2"),
    )
