-- 20260101T000021_drop_teams_check upgrade (mysql)

-- step 1: op.drop_constraint (line 9)
ALTER TABLE `teams` DROP CHECK `ck_teams_headcount`;
