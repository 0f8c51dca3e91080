# EXPECT: 10:19: error: f-strings need a Python runtime; joryuc does not run Python
# EXIT: 1
"""An f-string needs a runtime."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000155_lex_fstring")
def upgrade():
    op.drop_table(f"users_{n}")
