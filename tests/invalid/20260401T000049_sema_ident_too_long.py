# EXPECT: 10:19: error: argument 'name' of op.drop_table is 64 bytes long; names are at most 63 bytes
# EXIT: 1
"""A name longer than 63 bytes."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000049_sema_ident_too_long")
def upgrade():
    op.drop_table("tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt")
