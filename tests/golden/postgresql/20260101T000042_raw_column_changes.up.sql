-- 20260101T000042_raw_column_changes upgrade (postgresql)

-- step 1: op.execute (line 8)
ALTER TABLE users RENAME COLUMN nickname TO handle;

-- step 2: op.declare_schema_change (line 15)
-- replay hint: runs nothing

-- step 3: op.execute (line 16)
ALTER TABLE users ALTER COLUMN handle TYPE VARCHAR(60);

-- step 4: op.declare_schema_change (line 30)
-- replay hint: runs nothing
