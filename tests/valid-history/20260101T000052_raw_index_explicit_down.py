"""A raw index with a hand-written downgrade that declares its drop."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000052_raw_index_explicit_down")
def upgrade():
    op.execute("CREATE INDEX ix_teams_raw ON teams (name)")
    op.declare_schema_change(index_added=("ix_teams_raw", "teams", ["name"]))


@joryu.downgrade
def downgrade():
    op.execute(
        {
            "mysql": "DROP INDEX ix_teams_raw ON teams",
            "mariadb": "DROP INDEX ix_teams_raw ON teams",
            "default": "DROP INDEX ix_teams_raw",
        }
    )
    op.declare_schema_change(index_dropped=("ix_teams_raw", "teams"))
