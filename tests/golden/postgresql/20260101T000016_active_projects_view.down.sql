-- 20260101T000016_active_projects_view downgrade (postgresql)
-- synthesized from the replayed schema

-- step 1: undo op.declare_schema_change (line 16)
-- replay hint: runs nothing

-- step 2: undo op.execute (line 8)
DROP VIEW active_projects;
