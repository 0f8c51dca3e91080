-- 20260101T000021_drop_teams_check downgrade (mysql)
-- synthesized from the replayed schema

-- step 1: undo op.drop_constraint (line 9)
ALTER TABLE `teams` ADD CONSTRAINT `ck_teams_headcount` CHECK (headcount >= 0);
