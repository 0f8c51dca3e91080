"""Dialect branches, folded by the compiler."""
import joryu
from joryu import op, types as t
from sqlalchemy import text

STATUS_LABELS = "draft"
BATCH = 5_000

@joryu.migration(id="20260101T000000_fuzz", depends_on=[], transaction_mode="none",
                 dialects=["postgresql", "sqlite"], tags=["x", 'y'], group="g1",
                 on_mismatch="error")
def upgrade():
    if op.dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
        op.add_column("docs", "tags", t.Array(t.Text))
        op.add_column("docs", "search", t.dialect("postgresql.tsvector"))
    elif op.dialect.name == "mysql":
        pass
    else:
        op.execute('SELECT 1')
    op.create_index("ix_docs_live", "docs", ["id"], unique=True, concurrent=True,
                    where="deleted_at IS NULL", method="btree")
    op.bulk_insert("roles", [{"id": 1, "name": "admin"}, {"id": 2, "name": None, "w": 1.5e3}])
    op.backfill("docs", set={"n": "0"}, batch_size=BATCH)
    op.rename_table("docs", "documents")
    op.rename_column("documents", "n", "count")
    op.create_unique_constraint("uq_documents_count", "documents", ["count"])
    op.drop_constraint("uq_documents_count", "documents")
    op.declare_schema_change(column_added=("documents", "x", t.Int, {}),
                             enum_added=[("mood", ["ok", "sad"])],
                             table_renamed=("a", "b"))

@joryu.downgrade
def downgrade():
    # JORYU-DOWN-HINT:
    #   completion-status: stub
    op.rename_table("documents", "docs")
