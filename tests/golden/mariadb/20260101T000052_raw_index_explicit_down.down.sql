-- 20260101T000052_raw_index_explicit_down downgrade (mariadb)
-- written in downgrade()

-- step 1: op.execute (line 14)
DROP INDEX ix_teams_raw ON teams;

-- step 2: op.declare_schema_change (line 21)
-- replay hint: runs nothing
