-- 20260101T000032_teams_defaults upgrade (postgresql)

-- step 1: op.alter_column (line 9)
-- op.batch block
ALTER TABLE "teams" ALTER COLUMN "headcount" SET DEFAULT 1;
COMMENT ON COLUMN "teams"."name" IS 'the team name';

-- step 2: op.alter_column (line 10)
-- folded into step 1 (op.batch block)

-- step 3: op.alter_column (line 11)
-- folded into step 1 (op.batch block)
