-- 20260101T000037_audit_index_raw downgrade (postgresql)
-- synthesized from the replayed schema

-- step 1: undo op.declare_schema_change (line 9)
-- replay hint: runs nothing

-- step 2: undo op.execute (line 8)
DROP INDEX ix_audit_action_at;
