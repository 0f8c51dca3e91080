# EXPECT: 10:31: error: 't' is already an imported name; use another name
# EXIT: 1
"""A batch alias reusing t."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000144_sema_shadowed_name")
def upgrade():
    with op.batch("users") as t:
        t.drop_column("email")
