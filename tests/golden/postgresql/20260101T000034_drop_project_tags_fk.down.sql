-- 20260101T000034_drop_project_tags_fk downgrade (postgresql)
-- synthesized from the replayed schema

-- step 1: undo op.drop_constraint (line 9)
ALTER TABLE "project_tags" ADD CONSTRAINT "fk_project_tags_tag" FOREIGN KEY ("tag_id") REFERENCES "tags" ("id") ON DELETE CASCADE;
