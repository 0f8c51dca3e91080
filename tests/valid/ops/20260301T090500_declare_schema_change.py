"""Raw SQL with replay hints: every declare_schema_change keyword."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T090500_declare_schema_change",
                 depends_on=["20260301T090400_branches"],
                 dialects=["postgresql"])
def upgrade():
    op.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
    op.declare_schema_change(extension_added="pgcrypto")
    op.execute("ALTER TABLE owners ADD COLUMN api_key TEXT GENERATED ALWAYS AS (lower(name)) STORED")
    op.declare_schema_change(
        column_added=("owners", "api_key", t.Text, {"nullable": False, "generated": "lower(name)"}),
        index_added=("idx_owners_api_key", "owners", ["api_key"], {"unique": True}),
    )
    op.declare_schema_change(
        column_added=[("owners", "a", t.Int), ("owners", "b", t.String(10), {"default": "x", "server_default": None, "primary_key": False, "unique": False, "comment": "b"})],
        column_dropped=("owners", "a"),
        column_altered=("owners", "b", {"old": {"type": t.String(10), "nullable": True}, "new": {"type": t.Text, "nullable": False, "default": None}}),
        column_renamed=("owners", "b", "c"),
        table_added=("audit", {"columns": [{"name": "id", "type": t.BigInt}], "options": {}}),
        table_dropped=("audit",),
        table_renamed=("owners", "people"),
        index_dropped=[("idx_owners_api_key", "people"), ("idx_other",)],
        constraint_added=("fk_x", "pets", {"kind": "fk", "referred_table": "people", "referred_columns": ["id"], "local_columns": ["owner_id"]}),
        constraint_dropped=("fk_x", "pets", {"kind": "fk"}),
        extension_dropped=("pgcrypto",),
        enum_added=("mood2", ["ok", "sad"]),
        enum_dropped=("mood2",),
        enum_value_added=[("mood", "meh", {"after": "ok"}), ("mood", "great", {})],
        view_added=("v_people", "SELECT * FROM people"),
        view_dropped=("v_people",),
        materialized_view_added=("mv_people", "SELECT id FROM people"),
        materialized_view_dropped=("mv_people",),
        trigger_added=("trg_people", "people", "CREATE TRIGGER trg_people ..."),
        trigger_dropped=("trg_people", "people"),
        policy_added=("pol_self", "people", "CREATE POLICY pol_self ON people USING (true)"),
        policy_dropped=("pol_self", "people"),
        sequence_added=("seq_x",),
        sequence_dropped=("seq_x",),
        schema_added="reporting",
        schema_dropped=("reporting",),
    )
