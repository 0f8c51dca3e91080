# EXPECT: 9:5: error: no @joryu.migration function in this file
# EXIT: 1
"""A file with a downgrade but no migration."""
import joryu
from joryu import op, types as t


@joryu.downgrade
def downgrade():
    op.drop_table("users")
