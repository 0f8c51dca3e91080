"""The SQLite member of group 20260301_extras; depends on the group."""
import joryu
from joryu import op, types as t


@joryu.migration(
    id="20260301T090800_sqlite_extras",
    dialects=["sqlite", "mysql"],
    group="20260301_extras",
    depends_on=["20260301T090600_data"],
)
def upgrade():
    op.add_column("roles", "aliases", t.Json)

