import joryu
from joryu import op, types as t


@joryu.migration(id="20260201T000000_a")
def upgrade():
    op.execute("ALTER TYPE user_kind ADD VALUE 'c'")
    op.declare_schema_change(enum_value_added=("user_kind", "c"))
