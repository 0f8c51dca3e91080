"""A new enum label: ALTER TYPE on PostgreSQL, a column change elsewhere."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000029_project_status_paused", depends_on=["group:team_note"])
def upgrade():
    if op.dialect.name == "postgresql":
        op.execute("ALTER TYPE project_status ADD VALUE 'paused' AFTER 'active'")
        op.declare_schema_change(enum_value_added=("project_status", "paused", {"after": "active"}))
    else:
        with op.batch("projects") as b:
            b.alter_column(
                "status",
                type=t.Enum("draft", "active", "paused", "archived", name="project_status"),
            )
