"""PostgreSQL only, in a group."""
import joryu
from joryu import op

@joryu.migration(
    id="20260101T000000_fuzz",
    dialects=["postgresql"],
    group="20260525_rls",
    depends_on=["20260514T093000_add_users"],
)
def upgrade():
    op.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
    op.execute("ALTER TABLE users ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY users_self ON users USING (id = current_setting('app.user_id')::bigint)")
    op.declare_schema_change(extension_added=("pgcrypto",),
                             policy_added=("users_self", "users", "USING (id = 1)"))
