# EXPECT: 11:9: error: op.drop_column inside `with op.batch(...) as b:` would not be part of the batch
# EXIT: 1
"""op.drop_column inside a batch block."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000139_sema_batch_outer_op")
def upgrade():
    with op.batch("users") as b:
        op.drop_column("users", "email")
