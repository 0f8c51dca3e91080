"""And gone again, with every *_dropped hint."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000041_pg_objects_gone", dialects=["postgresql"])
def upgrade():
    op.execute("DROP TYPE priority", reverse="CREATE TYPE priority AS ENUM ('low', 'high')")
    op.execute("DROP POLICY own_rows ON users", reverse="CREATE POLICY own_rows ON users USING (true)")
    op.execute(
        "DROP MATERIALIZED VIEW team_sizes",
        reverse="CREATE MATERIALIZED VIEW team_sizes AS SELECT team_id, count(*) AS n FROM team_members GROUP BY team_id",
    )
    op.execute("DROP SCHEMA reporting", reverse="CREATE SCHEMA reporting")
    op.execute("DROP SEQUENCE invoice_numbers", reverse="CREATE SEQUENCE invoice_numbers")
    op.execute("DROP EXTENSION IF EXISTS pg_trgm", reverse="CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.declare_schema_change(
        enum_dropped="priority",
        policy_dropped=("own_rows", "users"),
        materialized_view_dropped="team_sizes",
        schema_dropped="reporting",
        sequence_dropped="invoice_numbers",
        extension_dropped="pg_trgm",
    )
