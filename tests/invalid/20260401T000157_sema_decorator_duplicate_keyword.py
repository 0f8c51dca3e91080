# EXPECT: 8:85: error: argument 'tags' is given twice
# EXIT: 1
"""A decorator argument given twice."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000157_sema_decorator_duplicate_keyword", tags=["a"], tags=["b"])
def upgrade():
    pass
