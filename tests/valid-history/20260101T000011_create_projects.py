"""Projects with a generated column and an enum with a default."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000011_create_projects")
def upgrade():
    op.create_table(
        "projects",
        op.column("id", t.BigInt, primary_key=True, autoincrement=True),
        op.column("team_id", t.Int, nullable=False),
        op.column("title", t.String(200), nullable=False),
        op.column("status", t.Enum("draft", "active", "archived", name="project_status"), nullable=False, default="draft"),
        op.column("budget", t.Decimal(10, 2)),
        op.column("starts_on", t.Date),
        op.column("double_budget", t.Decimal(12, 2), generated="budget * 2"),
    )
