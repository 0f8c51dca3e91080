"""An explicit downgrade."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000048_users_locale")
def upgrade():
    op.add_column("users", "locale", t.String(10), nullable=False, default="en")


@joryu.downgrade
def downgrade():
    op.drop_column("users", "locale")
