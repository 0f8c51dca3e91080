# EXPECT: 11:25: warning: unknown escape sequence '\d' is kept as written
# EXPECT: 12:16: error: f-strings need a Python runtime; joryuc does not run Python
# EXIT: 1
"""An unknown escape warns; the f-string next to it is an error."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000242_lex_warning_and_error")
def upgrade():
    op.execute("SELECT '\d'")
    op.execute(f"x")
