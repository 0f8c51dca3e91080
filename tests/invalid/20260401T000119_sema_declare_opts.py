# EXPECT: 10:67: error: unknown key "nullabel" in the column options
# EXIT: 1
"""An unknown column option in a hint."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000119_sema_declare_opts")
def upgrade():
    op.declare_schema_change(column_added=("users", "a", t.Text, {"nullabel": False}))
