# EXPECT: 10:83: error: argument 'on_delete' of op.create_foreign_key must be one of "CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION", not "CASCADES"
# EXIT: 1
"""A misspelled foreign-key action."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000053_sema_choice")
def upgrade():
    op.create_foreign_key("fk", "pets", "owners", ["owner_id"], ["id"], on_delete="CASCADES")
