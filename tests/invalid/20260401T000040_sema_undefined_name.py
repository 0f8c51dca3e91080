# EXPECT: 10:19: error: name 'TABLE' is not defined
# EXIT: 1
"""A constant that was never defined."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000040_sema_undefined_name")
def upgrade():
    op.drop_table(TABLE)
