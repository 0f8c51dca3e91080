-- 20260101T000005_add_user_columns downgrade (mariadb)
-- synthesized from the replayed schema

-- step 1: undo op.add_column (line 10) [destructive]
ALTER TABLE `users` DROP COLUMN `login_count`;

-- step 2: undo op.add_column (line 9) [destructive]
ALTER TABLE `users` DROP COLUMN `bio`;

-- step 3: undo op.add_column (line 8) [destructive]
ALTER TABLE `users` DROP COLUMN `phone`;
