"""Postgres-only: enable pgcrypto and create RLS policy."""
import joryu
from joryu import op

@joryu.migration(
    id="20260525T093000_pg_rls",
    dialects=["postgresql"],
    group="20260525_rls",
    depends_on=["20260514T093000_add_users"],
)
def upgrade():
    op.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
    op.execute("ALTER TABLE users ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY users_self ON users USING (id = current_setting('app.user_id')::bigint)")
