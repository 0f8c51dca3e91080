-- 20260101T000044_raw_table_renames upgrade (mariadb)

-- step 1: op.execute (line 8)
RENAME TABLE audit_log TO audit_events;

-- step 2: op.declare_schema_change (line 12)
-- replay hint: runs nothing
