# EXPECT: 8:64: error: tags= must be a list of strings, not a string
# EXIT: 1
"""tags= given a string."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000022_sema_tags_not_list", tags="schema")
def upgrade():
    pass
