import joryu
from joryu import op, types as t


@joryu.migration(id="20260201T000000_a")
def upgrade():
    op.execute("CREATE VIEW active_users AS SELECT id, email FROM users WHERE status = 'a'")
    op.declare_schema_change(view_added=("active_users", "SELECT id, email FROM users WHERE status = 'a'"))
