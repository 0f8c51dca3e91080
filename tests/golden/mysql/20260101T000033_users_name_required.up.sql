-- 20260101T000033_users_name_required upgrade (mysql)

-- step 1: op.alter_column (line 9)
ALTER TABLE `users` MODIFY COLUMN `name` LONGTEXT NOT NULL DEFAULT ('');
