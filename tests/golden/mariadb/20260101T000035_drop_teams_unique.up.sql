-- 20260101T000035_drop_teams_unique upgrade (mariadb)

-- step 1: op.drop_constraint (line 9)
ALTER TABLE `teams` DROP INDEX `uq_teams_slug`;
