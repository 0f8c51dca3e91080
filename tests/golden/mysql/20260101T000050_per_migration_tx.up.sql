-- 20260101T000050_per_migration_tx upgrade (mysql)

-- step 1: op.add_column (line 8)
ALTER TABLE `tags` ADD COLUMN `code` VARCHAR(12) COMMENT 'short code';
CREATE UNIQUE INDEX `uq_tags_code` ON `tags` (`code`);

-- step 2: op.add_column (line 18)
ALTER TABLE `tags` ADD COLUMN `created_at` TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP;
