import joryu
from joryu import op

@joryu.migration(id="20260101T000000_fuzz")
def upgrade():
	op.drop_table("a")
        op.drop_table("b")
