import joryu
from joryu import op, types as t

@joryu.migration(id="20260101T000000_fuzz")
def upgrade():
    op.execute("""CREATE TABLE "x y" (a INT)""")
    op.execute(r'SELECT \d' "implicit" 'concat' \
               "continued")
    op.execute(u"caf\u00e9 \x41 \n \t \\ \"q\" 日本語")
    op.execute('''triple 'single' quoted''', reverse=None)
    op.add_column("t", "c", t.Decimal(10, 2), server_default="0.00", default=1_000)
    op.add_column("t", "d", t.Float, default=-1.5, nullable=True)
    op.add_column("t", "e", t.Binary(16), generated="a + 1")
