-- 20260101T000039_users_trigger upgrade (sqlite)

-- step 1: op.execute (line 8)
CREATE TRIGGER trg_users_audit AFTER INSERT ON users BEGIN INSERT INTO audit_log (id, action) VALUES (NEW.id, 'insert'); END;

-- step 2: op.declare_schema_change (line 12)
-- replay hint: runs nothing
