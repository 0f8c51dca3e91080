# EXPECT: 10:37: error: t.String needs a length
# EXIT: 1
"""t.String without a length."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000121_sema_type_string_length")
def upgrade():
    op.add_column("users", "email", t.String)
