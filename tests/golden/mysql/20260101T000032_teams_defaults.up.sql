-- 20260101T000032_teams_defaults upgrade (mysql)

-- step 1: op.alter_column (line 9)
-- op.batch block
ALTER TABLE `teams` MODIFY COLUMN `headcount` INT NOT NULL DEFAULT 1,
  MODIFY COLUMN `name` VARCHAR(100) NOT NULL COMMENT 'the team name',
  MODIFY COLUMN `rating` FLOAT;

-- step 2: op.alter_column (line 10)
-- folded into step 1 (op.batch block)

-- step 3: op.alter_column (line 11)
-- folded into step 1 (op.batch block)
