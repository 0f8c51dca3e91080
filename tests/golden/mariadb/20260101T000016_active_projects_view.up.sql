-- 20260101T000016_active_projects_view upgrade (mariadb)

-- step 1: op.execute (line 8)
CREATE VIEW active_projects AS SELECT id, title FROM projects WHERE status = 'active';

-- step 2: op.declare_schema_change (line 16)
-- replay hint: runs nothing
