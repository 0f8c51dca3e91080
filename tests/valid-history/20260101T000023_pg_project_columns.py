"""Arrays, intervals and a dialect type, PostgreSQL only."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000023_pg_project_columns", dialects=["postgresql"])
def upgrade():
    op.add_column("projects", "tags", t.Array(t.Text))
    op.add_column("projects", "duration", t.Interval)
    op.add_column("projects", "search", t.dialect("postgresql.tsvector"))
    op.add_column("projects", "scores", t.Array(t.Int), nullable=False, server_default="'{}'")
