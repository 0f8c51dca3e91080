-- 20260101T000010_teams_unique_slug downgrade (postgresql)
-- synthesized from the replayed schema

-- step 1: undo op.create_unique_constraint (line 9)
ALTER TABLE "teams" DROP CONSTRAINT "uq_teams_slug";
