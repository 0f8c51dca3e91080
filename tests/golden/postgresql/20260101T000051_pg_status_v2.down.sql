-- 20260101T000051_pg_status_v2 downgrade (postgresql)
-- synthesized from the replayed schema

-- step 1: undo op.alter_column (line 8)
CREATE TYPE "project_status" AS ENUM ('draft', 'active', 'paused', 'archived');
DROP INDEX "ix_projects_active";
ALTER TABLE "projects" ALTER COLUMN "status" DROP DEFAULT,
  ALTER COLUMN "status" TYPE "project_status" USING "status"::text::"project_status",
  ALTER COLUMN "status" SET DEFAULT 'draft';
CREATE INDEX "ix_projects_active" ON "projects" ("team_id") WHERE status = 'active';
DROP TYPE "project_status_v2";
