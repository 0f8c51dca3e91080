import joryu
from joryu import op, types as t


@joryu.migration(id="20260201T000001_b", depends_on=["group:tmp_cols"])
def upgrade():
    op.drop_column("users", "tmp")
