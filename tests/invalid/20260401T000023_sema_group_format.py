# EXPECT: 8:64: error: group "my group" is not a valid group name
# EXIT: 1
"""A group name with a space."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000023_sema_group_format", group="my group")
def upgrade():
    pass
