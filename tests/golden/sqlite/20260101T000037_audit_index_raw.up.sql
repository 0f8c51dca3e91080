-- 20260101T000037_audit_index_raw upgrade (sqlite)

-- step 1: op.execute (line 8)
CREATE INDEX ix_audit_action_at ON audit_log (at);

-- step 2: op.declare_schema_change (line 9)
-- replay hint: runs nothing
