-- 20260101T000035_drop_teams_unique upgrade (postgresql)

-- step 1: op.drop_constraint (line 9)
ALTER TABLE "teams" DROP CONSTRAINT "uq_teams_slug";
