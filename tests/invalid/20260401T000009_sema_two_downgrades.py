# EXPECT: 19:5: error: a second @joryu.downgrade in one file
# EXIT: 1
"""Two @joryu.downgrade functions."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000009_sema_two_downgrades")
def upgrade():
    pass


@joryu.downgrade
def downgrade():
    pass


@joryu.downgrade
def downgrade2():
    pass
