"""Sequence, schema, materialized view, policy and enum, PostgreSQL only."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000040_pg_objects", dialects=["postgresql"])
def upgrade():
    op.execute("CREATE SEQUENCE invoice_numbers", reverse="DROP SEQUENCE invoice_numbers")
    op.execute("CREATE SCHEMA reporting", reverse="DROP SCHEMA reporting")
    op.execute(
        "CREATE MATERIALIZED VIEW team_sizes AS SELECT team_id, count(*) AS n FROM team_members GROUP BY team_id",
        reverse="DROP MATERIALIZED VIEW team_sizes",
    )
    op.execute(
        "CREATE POLICY own_rows ON users USING (true)",
        reverse="DROP POLICY own_rows ON users",
    )
    op.execute("CREATE TYPE priority AS ENUM ('low', 'high')", reverse="DROP TYPE priority")
    op.declare_schema_change(
        sequence_added="invoice_numbers",
        schema_added="reporting",
        materialized_view_added=("team_sizes", "SELECT team_id, count(*) AS n FROM team_members GROUP BY team_id"),
        policy_added=("own_rows", "users", "USING (true)"),
        enum_added=("priority", ["low", "high"]),
    )
