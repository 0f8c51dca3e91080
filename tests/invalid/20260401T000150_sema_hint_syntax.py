# EXPECT: 15:5: error: a JORYU-DOWN-HINT line is `# JORYU-DOWN-HINT: field: value`
# EXIT: 1
"""A hint line without field: value."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000150_sema_hint_syntax")
def upgrade():
    pass


@joryu.downgrade
def downgrade():
    # JORYU-DOWN-HINT: stub
    pass
