-- 20260101T000013_projects_partial_index downgrade (mysql)
-- synthesized from the replayed schema

-- step 1: undo op.create_index (line 9)
ALTER TABLE `projects` ADD INDEX `fk_projects_team` (`team_id`),
  DROP INDEX `ix_projects_active`;
