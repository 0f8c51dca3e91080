import joryu
from joryu import op, types as t

@joryu.migration(id="20260101T000000_fuzz")
def upgrade():
    op.execute("""never closed

