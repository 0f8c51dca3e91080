-- 20260101T000012_projects_fk downgrade (postgresql)
-- synthesized from the replayed schema

-- step 1: undo op.create_foreign_key (line 9)
ALTER TABLE "projects" DROP CONSTRAINT "fk_projects_team";
