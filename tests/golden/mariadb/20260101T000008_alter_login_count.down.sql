-- 20260101T000008_alter_login_count downgrade (mariadb)
-- synthesized from the replayed schema

-- step 1: undo op.alter_column (line 10)
ALTER TABLE `users` MODIFY COLUMN `bio` LONGTEXT COMMENT 'about me';

-- step 2: undo op.alter_column (line 9)
ALTER TABLE `users` MODIFY COLUMN `login_count` INT NOT NULL DEFAULT 0;
