"""Tags with a BigSerial key, a unique column and a SQL server default."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000030_create_tags")
def upgrade():
    op.create_table(
        "tags",
        op.column("id", t.BigSerial, primary_key=True),
        op.column("label", t.String(50), nullable=False, unique=True),
        op.column("color", t.String(7), nullable=False, server_default="'#ffffff'"),
        op.column("weight", t.Int, server_default="1 + 1"),
    )
