"""An extension, PostgreSQL only."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000022_pg_extension", dialects=["postgresql"])
def upgrade():
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm", reverse="DROP EXTENSION IF EXISTS pg_trgm")
    op.declare_schema_change(extension_added="pg_trgm")
