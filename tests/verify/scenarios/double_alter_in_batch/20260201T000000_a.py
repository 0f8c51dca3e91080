import joryu
from joryu import op, types as t


@joryu.migration(id="20260201T000000_a")
def upgrade():
    with op.batch("users") as b:
        b.alter_column("email", nullable=False)
