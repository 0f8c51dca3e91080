-- 20260101T000041_pg_objects_gone upgrade (postgresql)

-- step 1: op.execute (line 8)
DROP TYPE priority;

-- step 2: op.execute (line 9)
DROP POLICY own_rows ON users;

-- step 3: op.execute (line 10)
DROP MATERIALIZED VIEW team_sizes;

-- step 4: op.execute (line 14)
DROP SCHEMA reporting;

-- step 5: op.execute (line 15)
DROP SEQUENCE invoice_numbers;

-- step 6: op.execute (line 16)
DROP EXTENSION IF EXISTS pg_trgm;

-- step 7: op.declare_schema_change (line 17)
-- replay hint: runs nothing
