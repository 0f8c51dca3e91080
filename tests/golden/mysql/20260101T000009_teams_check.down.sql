-- 20260101T000009_teams_check downgrade (mysql)
-- synthesized from the replayed schema

-- step 1: undo op.create_check_constraint (line 9)
ALTER TABLE `teams` DROP CHECK `ck_teams_headcount`;
