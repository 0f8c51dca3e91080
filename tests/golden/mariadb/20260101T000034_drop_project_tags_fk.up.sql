-- 20260101T000034_drop_project_tags_fk upgrade (mariadb)

-- step 1: op.drop_constraint (line 9)
ALTER TABLE `project_tags` DROP FOREIGN KEY `fk_project_tags_tag`,
  DROP INDEX `fk_project_tags_tag`;
