# EXPECT: 11:16: error: joryuc runs no Python: text(...) is not needed
# EXIT: 1
"""op.execute(text(...)) from SQLAlchemy."""
import joryu
from joryu import op, types as t
from sqlalchemy import text


@joryu.migration(id="20260401T000042_sema_text_call")
def upgrade():
    op.execute(text("UPDATE users SET a = 1"))
