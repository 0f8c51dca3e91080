-- 20260101T000010_teams_unique_slug downgrade (mariadb)
-- synthesized from the replayed schema

-- step 1: undo op.create_unique_constraint (line 9)
ALTER TABLE `teams` DROP INDEX `uq_teams_slug`;
