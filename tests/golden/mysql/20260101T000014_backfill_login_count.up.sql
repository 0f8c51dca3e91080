-- 20260101T000014_backfill_login_count upgrade (mysql)

-- step 1: op.backfill (line 8)
-- backfill in batches of 500 rows by id:
SELECT MIN(`id`), MAX(`id`) FROM `users` WHERE login_count IS NULL;
UPDATE `users` SET `login_count` = 0, `is_admin` = is_admin WHERE `id` >= ? AND `id` <= ? AND (login_count IS NULL);
