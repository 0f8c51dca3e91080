"""And gone again, with every *_dropped hint."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000041_pg_objects_gone", dialects=["postgresql"])
def upgrade():
    op.execute("DROP TYPE priority")
    op.execute("DROP POLICY own_rows ON users")
    op.execute("DROP MATERIALIZED VIEW team_sizes")
    op.execute("DROP SCHEMA reporting")
    op.execute("DROP SEQUENCE invoice_numbers")
    op.execute("DROP EXTENSION IF EXISTS pg_trgm")
    op.declare_schema_change(
        enum_dropped="priority",
        policy_dropped=("own_rows", "users"),
        materialized_view_dropped="team_sizes",
        schema_dropped="reporting",
        sequence_dropped="invoice_numbers",
        extension_dropped="pg_trgm",
    )
