-- 20260101T000048_users_locale downgrade (mariadb)
-- written in downgrade()

-- step 1: op.drop_column (line 13) [destructive]
ALTER TABLE `users` DROP COLUMN `locale`;
