-- 20260101T000029_project_status_paused upgrade (sqlite)

-- step 1: op.alter_column (line 13) [outside a transaction]
-- op.batch block: one SQLite table rebuild
PRAGMA foreign_keys = OFF;
BEGIN;
DROP VIEW IF EXISTS "active_projects";
CREATE TABLE "_joryu_new_projects" (
  "id" INTEGER NOT NULL PRIMARY KEY,
  "team_id" INTEGER NOT NULL,
  "title" TEXT NOT NULL,
  "status" TEXT NOT NULL DEFAULT 'draft',
  "budget" NUMERIC,
  "starts_on" TEXT,
  "double_budget" NUMERIC GENERATED ALWAYS AS (budget * 2) STORED,
  CONSTRAINT "fk_projects_team" FOREIGN KEY ("team_id") REFERENCES "teams" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  CHECK ("status" IN ('draft', 'active', 'paused', 'archived'))
);
INSERT INTO "_joryu_new_projects" ("id", "team_id", "title", "status", "budget", "starts_on") SELECT "id", "team_id", "title", "status", "budget", "starts_on" FROM "projects";
DROP TABLE "projects";
ALTER TABLE "_joryu_new_projects" RENAME TO "projects";
CREATE INDEX "ix_projects_active" ON "projects" ("team_id") WHERE status = 'active';
CREATE INDEX "ix_projects_title" ON "projects" ("title");
CREATE VIEW "active_projects" AS SELECT id, title FROM projects WHERE status = 'active';
-- must return no rows:
PRAGMA foreign_key_check("projects");
COMMIT;
PRAGMA foreign_keys = ON;
