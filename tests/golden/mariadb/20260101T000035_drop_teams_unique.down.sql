-- 20260101T000035_drop_teams_unique downgrade (mariadb)
-- synthesized from the replayed schema

-- step 1: undo op.drop_constraint (line 9)
ALTER TABLE `teams` ADD CONSTRAINT `uq_teams_slug` UNIQUE (`slug`);
