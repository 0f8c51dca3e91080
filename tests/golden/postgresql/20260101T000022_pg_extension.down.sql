-- 20260101T000022_pg_extension downgrade (postgresql)
-- synthesized from the replayed schema

-- step 1: undo op.declare_schema_change (line 9)
-- replay hint: runs nothing

-- step 2: undo op.execute (line 8)
DROP EXTENSION IF EXISTS pg_trgm;
