-- 20260101T000029_project_status_paused upgrade (mysql)

-- step 1: op.alter_column (line 13)
ALTER TABLE `projects` MODIFY COLUMN `status` ENUM('draft', 'active', 'paused', 'archived') NOT NULL DEFAULT 'draft';
