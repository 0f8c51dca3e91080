-- 20260101T000022_pg_extension upgrade (postgresql)

-- step 1: op.execute (line 8)
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- step 2: op.declare_schema_change (line 9)
-- replay hint: runs nothing
