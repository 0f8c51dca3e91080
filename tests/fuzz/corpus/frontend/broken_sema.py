import joryu
from joryu import op, types as t

@joryu.migration(id="20260101T000000_fuzz")
@joryu.migration(id="20260101T000000_fuzz")
def upgrade():
    op.add_colum("users", "x", t.Txt)
    op.run_python(f)
    op.create_table("t", op.column("id", t.Serial))
    op.add_column("t", "i", t.Interval)
    x = 1
    op.drop_table(x, 1, 2, name="z")
