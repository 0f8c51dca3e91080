-- 20260101T000029_project_status_paused upgrade (postgresql)

-- step 1: op.execute (line 9)
ALTER TYPE project_status ADD VALUE 'paused' AFTER 'active';

-- step 2: op.declare_schema_change (line 10)
-- replay hint: runs nothing
