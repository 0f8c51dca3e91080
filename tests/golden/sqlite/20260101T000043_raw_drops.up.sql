-- 20260101T000043_raw_drops upgrade (sqlite)

-- step 1: op.execute (line 8)
DROP VIEW active_projects;

-- step 2: op.execute (line 9)
DROP INDEX ix_users_name;

-- step 3: op.execute (line 13)
ALTER TABLE users DROP COLUMN handle;

-- step 4: op.declare_schema_change (line 14)
-- replay hint: runs nothing
