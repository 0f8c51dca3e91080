-- 20260101T000051_pg_status_v2 upgrade (postgresql)

-- step 1: op.alter_column (line 8)
CREATE TYPE "project_status_v2" AS ENUM ('draft', 'active', 'paused', 'archived', 'deleted');
DROP INDEX "ix_projects_active";
ALTER TABLE "projects" ALTER COLUMN "status" DROP DEFAULT,
  ALTER COLUMN "status" TYPE "project_status_v2" USING "status"::text::"project_status_v2",
  ALTER COLUMN "status" SET DEFAULT 'draft';
CREATE INDEX "ix_projects_active" ON "projects" ("team_id") WHERE status = 'active';
DROP TYPE "project_status";
