import joryu
from joryu import op, types as t


@joryu.migration(id="20260201T000001_b")
def upgrade():
    op.alter_column("users", "email", type=t.String(320))
