-- 20260101T000034_drop_project_tags_fk upgrade (postgresql)

-- step 1: op.drop_constraint (line 9)
ALTER TABLE "project_tags" DROP CONSTRAINT "fk_project_tags_tag";
