-- 20260101T000005_add_user_columns upgrade (mariadb)

-- step 1: op.add_column (line 8)
ALTER TABLE `users` ADD COLUMN `phone` VARCHAR(20);

-- step 2: op.add_column (line 9)
ALTER TABLE `users` ADD COLUMN `bio` LONGTEXT COMMENT 'about me';

-- step 3: op.add_column (line 10)
ALTER TABLE `users` ADD COLUMN `login_count` INT NOT NULL DEFAULT 0;
