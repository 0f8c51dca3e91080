-- 20260101T000039_users_trigger downgrade (sqlite)
-- synthesized from the replayed schema

-- step 1: undo op.declare_schema_change (line 12)
-- replay hint: runs nothing

-- step 2: undo op.execute (line 8)
DROP TRIGGER trg_users_audit;
