-- 20260101T000036_audit_log_raw upgrade (mysql)

-- step 1: op.execute (line 8)
CREATE TABLE audit_log (id BIGINT PRIMARY KEY, action LONGTEXT NOT NULL, at TIMESTAMP NULL);

-- step 2: op.declare_schema_change (line 17)
-- replay hint: runs nothing
