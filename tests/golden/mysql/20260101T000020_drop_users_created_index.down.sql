-- 20260101T000020_drop_users_created_index downgrade (mysql)
-- synthesized from the replayed schema

-- step 1: undo op.drop_index (line 8)
CREATE UNIQUE INDEX `ix_users_created` ON `users` (`created_at`, `id`);
