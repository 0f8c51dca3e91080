-- 20260101T000006_users_indexes downgrade (mariadb)
-- synthesized from the replayed schema

-- step 1: undo op.create_index (line 9)
DROP INDEX `ix_users_created` ON `users`;

-- step 2: undo op.create_index (line 8)
DROP INDEX `ix_users_name` ON `users`;
