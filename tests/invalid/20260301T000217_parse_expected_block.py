# EXPECT: 15:1: error: expected an indented block after 'def' on line 14
# EXIT: 1
"""A def with no indented body."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000217_parse_expected_block")
def upgrade():
    op.drop_table("users")


@joryu.downgrade
def downgrade():
op.create_table("users")
