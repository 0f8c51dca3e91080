-- 20260101T000011_create_projects downgrade (postgresql)
-- synthesized from the replayed schema

-- step 1: undo op.create_table (line 8) [destructive]
DROP TABLE "projects";
DROP TYPE "project_status";
