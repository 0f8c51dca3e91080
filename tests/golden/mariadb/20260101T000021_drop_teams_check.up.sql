-- 20260101T000021_drop_teams_check upgrade (mariadb)

-- step 1: op.drop_constraint (line 9)
ALTER TABLE `teams` DROP CONSTRAINT `ck_teams_headcount`;
