-- 20260101T000040_pg_objects upgrade (postgresql)

-- step 1: op.execute (line 8)
CREATE SEQUENCE invoice_numbers;

-- step 2: op.execute (line 9)
CREATE SCHEMA reporting;

-- step 3: op.execute (line 10)
CREATE MATERIALIZED VIEW team_sizes AS SELECT team_id, count(*) AS n FROM team_members GROUP BY team_id;

-- step 4: op.execute (line 14)
CREATE POLICY own_rows ON users USING (true);

-- step 5: op.execute (line 18)
CREATE TYPE priority AS ENUM ('low', 'high');

-- step 6: op.declare_schema_change (line 19)
-- replay hint: runs nothing
