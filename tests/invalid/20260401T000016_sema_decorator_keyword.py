# EXPECT: 8:63: error: @joryu.migration has no argument 'depend_on'
# EXIT: 1
"""A misspelled decorator argument."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000016_sema_decorator_keyword", depend_on=[])
def upgrade():
    pass
