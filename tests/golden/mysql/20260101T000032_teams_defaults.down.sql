-- 20260101T000032_teams_defaults downgrade (mysql)
-- synthesized from the replayed schema

-- step 1: undo op.alter_column (line 11)
ALTER TABLE `teams` MODIFY COLUMN `rating` FLOAT;

-- step 2: undo op.alter_column (line 10)
ALTER TABLE `teams` MODIFY COLUMN `name` VARCHAR(100) NOT NULL;

-- step 3: undo op.alter_column (line 9)
ALTER TABLE `teams` MODIFY COLUMN `headcount` INT NOT NULL DEFAULT 0;
