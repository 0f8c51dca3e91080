# EXPECT: 14:16: error: expected ':', found end of line
# EXIT: 1
"""A def header without its colon."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000219_parse_missing_colon")
def upgrade():
    op.drop_table("users")


@joryu.downgrade
def downgrade()
    pass
