"""A raw check constraint, declared with constraint_added."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000038_audit_check_raw", dialects=["postgresql", "mysql", "mariadb"])
def upgrade():
    op.execute(
        "ALTER TABLE audit_log ADD CONSTRAINT ck_audit_action CHECK (action <> '')",
        reverse={"postgresql": "ALTER TABLE audit_log DROP CONSTRAINT ck_audit_action", "mysql": "ALTER TABLE audit_log DROP CHECK ck_audit_action", "mariadb": "ALTER TABLE audit_log DROP CONSTRAINT ck_audit_action"},
    )
    op.declare_schema_change(
        constraint_added=("ck_audit_action", "audit_log", {"kind": "check", "expression": "action <> ''"}),
    )
