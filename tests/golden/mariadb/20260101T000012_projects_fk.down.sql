-- 20260101T000012_projects_fk downgrade (mariadb)
-- synthesized from the replayed schema

-- step 1: undo op.create_foreign_key (line 9)
ALTER TABLE `projects` DROP FOREIGN KEY `fk_projects_team`,
  DROP INDEX `fk_projects_team`;
