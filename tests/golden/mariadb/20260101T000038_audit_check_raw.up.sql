-- 20260101T000038_audit_check_raw upgrade (mariadb)

-- step 1: op.execute (line 8)
ALTER TABLE audit_log ADD CONSTRAINT ck_audit_action CHECK (action <> '');

-- step 2: op.declare_schema_change (line 12)
-- replay hint: runs nothing
