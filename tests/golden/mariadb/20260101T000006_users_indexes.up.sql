-- 20260101T000006_users_indexes upgrade (mariadb)

-- step 1: op.create_index (line 8)
CREATE INDEX `ix_users_name` ON `users` (`name`(255));

-- step 2: op.create_index (line 9)
CREATE UNIQUE INDEX `ix_users_created` ON `users` (`created_at`, `id`);
