# EXPECT: 10:16: error: invalid string prefix 'ur'
# EXIT: 1
"""A prefix Python does not have."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000157_lex_bad_string_prefix")
def upgrade():
    op.execute(ur"DELETE FROM users")
