-- 20260101T000007_rename_users_phone downgrade (mysql)
-- synthesized from the replayed schema

-- step 1: undo op.rename_column (line 8)
ALTER TABLE `users` RENAME COLUMN `phone_number` TO `phone`;
