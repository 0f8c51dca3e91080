import joryu
from joryu import op, types as t


@joryu.migration(id="20260201T000001_b")
def upgrade():
    op.execute("CREATE EXTENSION pgcrypto")
    op.declare_schema_change(extension_added=("pgcrypto",))
