-- 20260101T000031_create_project_tags downgrade (mariadb)
-- synthesized from the replayed schema

-- step 1: undo op.create_foreign_key (line 16)
ALTER TABLE `project_tags` DROP FOREIGN KEY `fk_project_tags_tag`,
  DROP INDEX `fk_project_tags_tag`;

-- step 2: undo op.create_foreign_key (line 15)
ALTER TABLE `project_tags` DROP FOREIGN KEY `fk_project_tags_project`;

-- step 3: undo op.create_table (line 8) [destructive]
DROP TABLE `project_tags`;
