-- 20260101T000052_raw_index_explicit_down upgrade (postgresql)

-- step 1: op.execute (line 8)
CREATE INDEX ix_teams_raw ON teams (name);

-- step 2: op.declare_schema_change (line 9)
-- replay hint: runs nothing
