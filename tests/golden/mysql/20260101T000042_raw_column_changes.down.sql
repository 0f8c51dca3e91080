-- 20260101T000042_raw_column_changes downgrade (mysql)
-- synthesized from the replayed schema

-- step 1: undo op.declare_schema_change (line 30)
-- replay hint: runs nothing

-- step 2: undo op.execute (line 16)
ALTER TABLE users MODIFY COLUMN handle VARCHAR(40) NULL;

-- step 3: undo op.declare_schema_change (line 15)
-- replay hint: runs nothing

-- step 4: undo op.execute (line 8)
ALTER TABLE users RENAME COLUMN handle TO nickname;
