-- 20260101T000008_alter_login_count upgrade (mariadb)

-- step 1: op.alter_column (line 9)
-- op.batch block
ALTER TABLE `users` MODIFY COLUMN `login_count` BIGINT NOT NULL DEFAULT 0,
  MODIFY COLUMN `bio` LONGTEXT COMMENT 'about the user';

-- step 2: op.alter_column (line 10)
-- folded into step 1 (op.batch block)
