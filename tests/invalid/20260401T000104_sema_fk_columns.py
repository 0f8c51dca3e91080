# EXPECT: 10:73: error: the foreign key has 2 referencing and 1 referenced columns
# EXIT: 1
"""Foreign key column counts differ."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000104_sema_fk_columns")
def upgrade():
    op.create_foreign_key("fk", "pets", "owners", ["owner_id", "name"], ["id"])
