-- 20260101T000017_raw_nickname upgrade (mariadb)

-- step 1: op.execute (line 8)
ALTER TABLE users ADD COLUMN nickname VARCHAR(40) NULL;

-- step 2: op.declare_schema_change (line 15)
-- replay hint: runs nothing
