# EXPECT: 10:41: error: t.BigSerial needs primary_key=True, which op.alter_column cannot set: create the column with it
# EXIT: 6
"""alter_column to BigSerial."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000132_sema_serial_alter")
def upgrade():
    op.alter_column("users", "id", type=t.BigSerial)
