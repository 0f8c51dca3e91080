import joryu
from joryu import op

@joryu.migration(id="not-an-id", depends_on=["nowhere"], transaction_mode="sometimes")
def upgrade():
    op.drop_table("a"
    op.drop_table("b"))
    )
