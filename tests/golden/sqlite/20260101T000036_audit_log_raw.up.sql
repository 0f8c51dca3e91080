-- 20260101T000036_audit_log_raw upgrade (sqlite)

-- step 1: op.execute (line 8)
CREATE TABLE audit_log (id INTEGER PRIMARY KEY, action TEXT NOT NULL, at TEXT);

-- step 2: op.declare_schema_change (line 17)
-- replay hint: runs nothing
