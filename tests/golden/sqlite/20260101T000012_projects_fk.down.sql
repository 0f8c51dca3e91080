-- 20260101T000012_projects_fk downgrade (sqlite)
-- synthesized from the replayed schema

-- step 1: undo op.create_foreign_key (line 9) [outside a transaction]
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE "_joryu_new_projects" (
  "id" INTEGER NOT NULL PRIMARY KEY,
  "team_id" INTEGER NOT NULL,
  "title" TEXT NOT NULL,
  "status" TEXT NOT NULL DEFAULT 'draft',
  "budget" NUMERIC,
  "starts_on" TEXT,
  "double_budget" NUMERIC GENERATED ALWAYS AS (budget * 2) STORED,
  CHECK ("status" IN ('draft', 'active', 'archived'))
);
INSERT INTO "_joryu_new_projects" ("id", "team_id", "title", "status", "budget", "starts_on") SELECT "id", "team_id", "title", "status", "budget", "starts_on" FROM "projects";
DROP TABLE "projects";
ALTER TABLE "_joryu_new_projects" RENAME TO "projects";
-- must return no rows:
PRAGMA foreign_key_check("projects");
COMMIT;
PRAGMA foreign_keys = ON;
