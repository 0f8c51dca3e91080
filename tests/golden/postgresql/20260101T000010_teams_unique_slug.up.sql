-- 20260101T000010_teams_unique_slug upgrade (postgresql)

-- step 1: op.create_unique_constraint (line 9)
ALTER TABLE "teams" ADD CONSTRAINT "uq_teams_slug" UNIQUE ("slug");
