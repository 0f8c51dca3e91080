-- 20260101T000032_teams_defaults downgrade (postgresql)
-- synthesized from the replayed schema

-- step 1: undo op.alter_column (line 11)

-- step 2: undo op.alter_column (line 10)
COMMENT ON COLUMN "teams"."name" IS NULL;

-- step 3: undo op.alter_column (line 9)
ALTER TABLE "teams" ALTER COLUMN "headcount" SET DEFAULT 0;
