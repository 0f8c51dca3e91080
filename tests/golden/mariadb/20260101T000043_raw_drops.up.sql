-- 20260101T000043_raw_drops upgrade (mariadb)

-- step 1: op.execute (line 8)
DROP VIEW active_projects;

-- step 2: op.execute (line 12)
DROP INDEX ix_users_name ON users;

-- step 3: op.execute (line 16)
ALTER TABLE users DROP COLUMN handle;

-- step 4: op.declare_schema_change (line 20)
-- replay hint: runs nothing
