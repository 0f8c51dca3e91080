-- 20260101T000017_raw_nickname downgrade (mariadb)
-- synthesized from the replayed schema

-- step 1: undo op.declare_schema_change (line 15)
-- replay hint: runs nothing

-- step 2: undo op.execute (line 8)
ALTER TABLE users DROP COLUMN nickname;
