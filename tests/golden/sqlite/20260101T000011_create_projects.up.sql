-- 20260101T000011_create_projects upgrade (sqlite)

-- step 1: op.create_table (line 8)
CREATE TABLE "projects" (
  "id" INTEGER NOT NULL PRIMARY KEY,
  "team_id" INTEGER NOT NULL,
  "title" TEXT NOT NULL,
  "status" TEXT NOT NULL DEFAULT 'draft',
  "budget" NUMERIC,
  "starts_on" TEXT,
  "title_len" INTEGER GENERATED ALWAYS AS (length(title)) STORED,
  CHECK ("status" IN ('draft', 'active', 'archived'))
);
