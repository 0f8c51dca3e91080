# EXPECT: 15:39: error: schema-impact is a list
# EXIT: 1
"""A list field given a scalar."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000147_sema_hint_list_scalar")
def upgrade():
    pass


@joryu.downgrade
def downgrade():
    # JORYU-DOWN-HINT: schema-impact: drop_table: users
    op.drop_table("users")
