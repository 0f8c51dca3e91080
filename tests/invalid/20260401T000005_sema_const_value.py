# EXPECT: 6:6: error: a module constant must be a literal (string, number, True, False, None, or a list, tuple or dict of them) or a t.* type
# EXIT: 1
"""A module constant that is not a literal."""
import joryu
from joryu import op, types as t
ID = op.column("id", t.BigInt, primary_key=True)


@joryu.migration(id="20260401T000005_sema_const_value")
def upgrade():
    pass
