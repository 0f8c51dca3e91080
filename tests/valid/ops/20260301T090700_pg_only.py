"""PostgreSQL-only types without branches: the migration is restricted."""
import joryu
from joryu import op, types as t


@joryu.migration(
    id="20260301T090700_pg_only",
    dialects=["pg"],
    group="20260301_extras",
    depends_on=["20260301T090600_data", "20260301T090500_declare_schema_change"],
    tags=["pg"],
)
def upgrade():
    op.add_column("roles", "valid_for", t.Interval)
    op.add_column("roles", "aliases", t.Array(t.Text))
    op.add_column("roles", "search", t.dialect("postgresql.tsvector"))
    op.execute({"postgresql": "SELECT 1"})


@joryu.downgrade
def downgrade():
    # JORYU-DOWN-HINT: schema-impact:
    #   - drop_column: roles.valid_for
    # JORYU-DOWN-HINT: cross-references: []
    # JORYU-DOWN-HINT: data-loss-risk: low
    # JORYU-DOWN-HINT: requires-app-knowledge: false
    # JORYU-DOWN-HINT: completion-status: stub
    pass
