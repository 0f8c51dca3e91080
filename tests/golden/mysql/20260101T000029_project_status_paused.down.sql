-- 20260101T000029_project_status_paused downgrade (mysql)
-- synthesized from the replayed schema

-- step 1: undo op.alter_column (line 13)
ALTER TABLE `projects` MODIFY COLUMN `status` ENUM('draft', 'active', 'archived') NOT NULL DEFAULT 'draft';
