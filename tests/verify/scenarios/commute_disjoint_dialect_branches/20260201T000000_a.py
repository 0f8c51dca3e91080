import joryu
from joryu import op, types as t


@joryu.migration(id="20260201T000000_a")
def upgrade():
    if op.dialect.name == "postgresql":
        op.alter_column("users", "email", type=t.String(320))
