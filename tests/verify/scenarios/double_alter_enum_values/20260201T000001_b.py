import joryu
from joryu import op, types as t


@joryu.migration(id="20260201T000001_b")
def upgrade():
    op.execute("ALTER TYPE user_kind ADD VALUE 'd'")
    op.declare_schema_change(enum_value_added=("user_kind", "d"))
