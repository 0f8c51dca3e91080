-- 20260101T000036_audit_log_raw downgrade (mariadb)
-- synthesized from the replayed schema

-- step 1: undo op.declare_schema_change (line 17)
-- replay hint: runs nothing

-- step 2: undo op.execute (line 8)
DROP TABLE audit_log;
