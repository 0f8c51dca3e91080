-- 20260101T000043_raw_drops downgrade (mariadb)
-- synthesized from the replayed schema

-- step 1: undo op.declare_schema_change (line 14)
-- replay hint: runs nothing

-- step 2: undo op.execute (line 13)
SELECT 1;

-- step 3: undo op.execute (line 9)
SELECT 1;

-- step 4: undo op.execute (line 8)
SELECT 1;
