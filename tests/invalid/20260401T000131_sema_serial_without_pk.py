# EXPECT: 10:42: error: t.Serial needs primary_key=True
# EXIT: 6
"""Serial needs primary_key=True."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000131_sema_serial_without_pk")
def upgrade():
    op.create_table("t", op.column("id", t.Serial))
