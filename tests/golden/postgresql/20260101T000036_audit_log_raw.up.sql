-- 20260101T000036_audit_log_raw upgrade (postgresql)

-- step 1: op.execute (line 8)
CREATE TABLE audit_log (id BIGINT PRIMARY KEY, action TEXT NOT NULL, at TIMESTAMPTZ);

-- step 2: op.declare_schema_change (line 17)
-- replay hint: runs nothing
