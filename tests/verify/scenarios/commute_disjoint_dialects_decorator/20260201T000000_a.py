import joryu
from joryu import op, types as t


@joryu.migration(id="20260201T000000_a", dialects=["postgresql"])
def upgrade():
    op.alter_column("users", "email", type=t.String(320))
