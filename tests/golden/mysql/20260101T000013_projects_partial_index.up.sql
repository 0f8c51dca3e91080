-- 20260101T000013_projects_partial_index upgrade (mysql)

-- step 1: op.create_index (line 9)
CREATE INDEX `ix_projects_active` ON `projects` (`team_id`, `status`);
