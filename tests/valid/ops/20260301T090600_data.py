"""Data migrations: backfill, bulk_insert, execute with reverse."""
import joryu
from joryu import op, types as t
from sqlalchemy import text  # tolerated while unused

ROLES = [
    {"id": 1, "name": "admin", "weight": 1.5, "active": True, "note": None},
    {"id": 2, "name": "user", "weight": -0.5, "active": False, "note": "default"},
]


@joryu.migration(id="20260301T090600_data",
                 depends_on=["20260301T090400_branches"],
                 transaction_mode="per_migration")
def upgrade():
    op.create_table(
        "roles",
        op.column("id", t.Int, primary_key=True),
        op.column("name", t.String(40), nullable=False),
        op.column("weight", t.Float),
        op.column("active", t.Bool),
        op.column("note", t.Text),
    )
    op.bulk_insert("roles", ROLES)
    op.bulk_insert("roles", [{"id": 3, "name": "guest", "weight": 0, "active": True, "note": "x"}])
    op.add_column("owners", "name_lower", t.String(100))
    op.backfill("owners", set={"name_lower": "LOWER(name)"})
    op.backfill(
        "owners",
        set={"name_lower": "LOWER(TRIM(name))", "name": "TRIM(name)"},
        where="name_lower IS NULL",
        key="id",
        batch_size=500,
    )
    op.execute("UPDATE roles SET note = 'n/a' WHERE note IS NULL",
               reverse="UPDATE roles SET note = NULL WHERE note = 'n/a'")
    op.execute(
        {
            "pg": "CREATE INDEX roles_name_idx ON roles (lower(name))",
            "default": "CREATE INDEX roles_name_idx ON roles (name)",
        },
        reverse={"postgres": "DROP INDEX roles_name_idx",
                 "mysql": "DROP INDEX roles_name_idx ON roles",
                 "mariadb": "DROP INDEX roles_name_idx ON roles",
                 "sqlite": "DROP INDEX roles_name_idx"},
    )
    op.execute("SELECT 'a' 'b'" " -- implicit concatenation")


@joryu.downgrade
def downgrade():
    # JORYU-DOWN-HINT: schema-impact:
    #   - drop_table: roles
    #   - drop_column: owners.name_lower
    # JORYU-DOWN-HINT: cross-references: []
    # JORYU-DOWN-HINT: data-loss-risk: high
    # JORYU-DOWN-HINT: data-loss-reason: role rows and lower-cased names are lost
    # JORYU-DOWN-HINT: order-constraint:
    #   - drop_index before drop_table
    # JORYU-DOWN-HINT: requires-app-knowledge: true
    # JORYU-DOWN-HINT: app-knowledge-needed:
    #   - whether other services read roles
    # JORYU-DOWN-HINT: completion-status: complete
    # JORYU-DOWN-HINT: manual-steps: [restart application servers, purge cache]
    op.execute("DROP INDEX roles_name_idx")
    op.drop_column("owners", "name_lower")
    op.drop_table("roles")
