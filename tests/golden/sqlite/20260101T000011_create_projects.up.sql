-- 20260101T000011_create_projects upgrade (sqlite)

-- step 1: op.create_table (line 8)
CREATE TABLE "projects" (
  "id" INTEGER NOT NULL PRIMARY KEY,
  "team_id" INTEGER NOT NULL,
  "title" TEXT NOT NULL,
  "status" TEXT NOT NULL DEFAULT 'draft',
  "budget" NUMERIC,
  "starts_on" TEXT,
  "double_budget" NUMERIC GENERATED ALWAYS AS (budget * 2) STORED,
  CHECK ("status" IN ('draft', 'active', 'archived'))
);
