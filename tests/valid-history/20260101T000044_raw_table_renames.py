"""Table rename and drop in raw SQL, declared; FK added and dropped."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000044_raw_table_renames", dialects=["postgresql", "mysql", "mariadb"])
def upgrade():
    op.execute(
        {"mysql": "RENAME TABLE audit_log TO audit_events", "default": "ALTER TABLE audit_log RENAME TO audit_events"},
        reverse={"mysql": "RENAME TABLE audit_events TO audit_log", "default": "ALTER TABLE audit_events RENAME TO audit_log"},
    )
    op.declare_schema_change(table_renamed=("audit_log", "audit_events"))
