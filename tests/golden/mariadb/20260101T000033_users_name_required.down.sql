-- 20260101T000033_users_name_required downgrade (mariadb)
-- synthesized from the replayed schema

-- step 1: undo op.alter_column (line 9)
ALTER TABLE `users` MODIFY COLUMN `name` LONGTEXT;
