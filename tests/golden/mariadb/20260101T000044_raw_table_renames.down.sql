-- 20260101T000044_raw_table_renames downgrade (mariadb)
-- synthesized from the replayed schema

-- step 1: undo op.declare_schema_change (line 12)
-- replay hint: runs nothing

-- step 2: undo op.execute (line 8)
RENAME TABLE audit_events TO audit_log;
