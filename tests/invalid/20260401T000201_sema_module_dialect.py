# EXPECT: 6:5: error: op.dialect.name can only be read inside upgrade() or downgrade()
# EXIT: 1
"""op.dialect.name at module level."""
import joryu
from joryu import op, types as t
D = op.dialect.name


@joryu.migration(id="20260401T000201_sema_module_dialect")
def upgrade():
    pass
