"""Indexes for the login and the admin listing."""
import joryu
from joryu import op, types as t

LISTING_INDEX = "ix_users_created_at"


@joryu.migration(id="20260101T000000_fuzz")
def upgrade():
    op.create_index(LISTING_INDEX, "users", ["created_at"])
    op.create_index("ix_users_email_normalized", "users", ["email_normalized"])


@joryu.downgrade
def downgrade():
    op.drop_index("ix_users_email_normalized", "users")
    op.drop_index(LISTING_INDEX, "users")
