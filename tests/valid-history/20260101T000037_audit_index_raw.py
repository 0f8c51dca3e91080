"""A raw index, declared with index_added."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000037_audit_index_raw", dialects=["postgresql", "sqlite"])
def upgrade():
    op.execute("CREATE INDEX ix_audit_action_at ON audit_log (at)", reverse="DROP INDEX ix_audit_action_at")
    op.declare_schema_change(index_added=("ix_audit_action_at", "audit_log", ["at"], {"unique": False}))
