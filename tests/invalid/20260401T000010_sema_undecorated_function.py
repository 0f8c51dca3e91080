# EXPECT: 14:5: error: function 'helper' is not decorated: joryuc compiles only the @joryu.migration upgrade and the @joryu.downgrade functions
# EXPECT: 15:5: error: 'return' statements are Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)
# EXIT: 1
"""A helper function at module level."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000010_sema_undecorated_function")
def upgrade():
    pass


def helper():
    return 1
