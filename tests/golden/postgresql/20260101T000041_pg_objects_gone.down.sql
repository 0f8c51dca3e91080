-- 20260101T000041_pg_objects_gone downgrade (postgresql)
-- synthesized from the replayed schema

-- step 1: undo op.declare_schema_change (line 17)
-- replay hint: runs nothing

-- step 2: undo op.execute (line 16)
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- step 3: undo op.execute (line 15)
CREATE SEQUENCE invoice_numbers;

-- step 4: undo op.execute (line 14)
CREATE SCHEMA reporting;

-- step 5: undo op.execute (line 10)
CREATE MATERIALIZED VIEW team_sizes AS SELECT team_id, count(*) AS n FROM team_members GROUP BY team_id;

-- step 6: undo op.execute (line 9)
CREATE POLICY own_rows ON users USING (true);

-- step 7: undo op.execute (line 8)
CREATE TYPE priority AS ENUM ('low', 'high');
