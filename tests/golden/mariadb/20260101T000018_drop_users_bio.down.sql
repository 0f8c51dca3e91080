-- 20260101T000018_drop_users_bio downgrade (mariadb)
-- synthesized from the replayed schema

-- step 1: undo op.drop_column (line 8)
ALTER TABLE `users` ADD COLUMN `bio` LONGTEXT COMMENT 'about the user';
