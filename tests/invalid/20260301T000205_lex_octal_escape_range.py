# EXPECT: 10:25: error: octal escape '\777' is larger than \377
# EXIT: 1
"""An octal escape past 255."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000205_lex_octal_escape_range")
def upgrade():
    op.execute("SELECT '\777'")
