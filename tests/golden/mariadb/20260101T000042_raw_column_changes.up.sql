-- 20260101T000042_raw_column_changes upgrade (mariadb)

-- step 1: op.execute (line 8)
ALTER TABLE users RENAME COLUMN nickname TO handle;

-- step 2: op.declare_schema_change (line 15)
-- replay hint: runs nothing

-- step 3: op.execute (line 16)
ALTER TABLE users MODIFY COLUMN handle VARCHAR(60) NULL;

-- step 4: op.declare_schema_change (line 30)
-- replay hint: runs nothing
