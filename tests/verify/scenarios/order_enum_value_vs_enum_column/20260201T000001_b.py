import joryu
from joryu import op, types as t


@joryu.migration(id="20260201T000001_b")
def upgrade():
    op.add_column("orders", "kind", t.Enum("a", "b", name="user_kind"))
