-- 20260101T000050_per_migration_tx downgrade (mysql)
-- synthesized from the replayed schema

-- step 1: undo op.add_column (line 18) [destructive]
ALTER TABLE `tags` DROP COLUMN `created_at`;

-- step 2: undo op.add_column (line 8) [destructive]
ALTER TABLE `tags` DROP COLUMN `code`;
