# EXPECT: 10:40: error: t.Enum labels must be strings, not a list
# EXIT: 1
"""Enum labels given as a list."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000206_sema_enum_labels_list")
def upgrade():
    op.add_column("users", "s", t.Enum(["a", "b"], name="s"))
