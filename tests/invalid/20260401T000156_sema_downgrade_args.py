# EXPECT: 13:2: error: @joryu.downgrade takes no arguments
# EXIT: 1
"""@joryu.downgrade with arguments."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000156_sema_downgrade_args")
def upgrade():
    pass


@joryu.downgrade(id="x")
def downgrade():
    pass
