-- 20260101T000044_raw_table_renames upgrade (postgresql)

-- step 1: op.execute (line 8)
ALTER TABLE audit_log RENAME TO audit_events;

-- step 2: op.declare_schema_change (line 12)
-- replay hint: runs nothing
