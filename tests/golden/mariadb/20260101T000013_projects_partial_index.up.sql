-- 20260101T000013_projects_partial_index upgrade (mariadb)

-- step 1: op.create_index (line 9)
ALTER TABLE `projects` ADD INDEX `ix_projects_active` (`team_id`, `status`),
  DROP INDEX `fk_projects_team`;
