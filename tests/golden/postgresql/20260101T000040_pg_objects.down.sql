-- 20260101T000040_pg_objects downgrade (postgresql)
-- synthesized from the replayed schema

-- step 1: undo op.declare_schema_change (line 19)
-- replay hint: runs nothing

-- step 2: undo op.execute (line 18)
DROP TYPE priority;

-- step 3: undo op.execute (line 14)
DROP POLICY own_rows ON users;

-- step 4: undo op.execute (line 10)
DROP MATERIALIZED VIEW team_sizes;

-- step 5: undo op.execute (line 9)
DROP SCHEMA reporting;

-- step 6: undo op.execute (line 8)
DROP SEQUENCE invoice_numbers;
