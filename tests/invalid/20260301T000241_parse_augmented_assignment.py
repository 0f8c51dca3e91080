# EXPECT: 14:7: error: the '+=' operator is Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)
# EXIT: 1
"""An augmented assignment."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000241_parse_augmented_assignment")
def upgrade():
    pass


BATCH = 1
BATCH += 1
