-- 20260101T000032_teams_defaults upgrade (sqlite)

-- step 1: op.alter_column (line 9) [outside a transaction]
-- op.batch block: one SQLite table rebuild
PRAGMA foreign_keys = OFF;
BEGIN;
DROP VIEW IF EXISTS "active_projects";
CREATE TABLE "_joryu_new_teams" (
  "id" INTEGER NOT NULL PRIMARY KEY,
  "name" TEXT NOT NULL,
  "slug" TEXT,
  "budget" NUMERIC DEFAULT 0,
  "rating" REAL,
  "score" REAL DEFAULT 1.5,
  "size" INTEGER,
  "ext_id" TEXT,
  "logo" BLOB,
  "thumb" BLOB,
  "settings" TEXT,
  "founded" TEXT,
  "standup" TEXT,
  "headcount" INTEGER NOT NULL DEFAULT 1,
  "motto" TEXT DEFAULT 'it''s a \ team',
  "note" TEXT,
  CONSTRAINT "uq_teams_slug" UNIQUE ("slug")
);
INSERT INTO "_joryu_new_teams" ("id", "name", "slug", "budget", "rating", "score", "size", "ext_id", "logo", "thumb", "settings", "founded", "standup", "headcount", "motto", "note") SELECT "id", "name", "slug", "budget", "rating", "score", "size", "ext_id", "logo", "thumb", "settings", "founded", "standup", "headcount", "motto", "note" FROM "teams";
DROP TABLE "teams";
ALTER TABLE "_joryu_new_teams" RENAME TO "teams";
CREATE VIEW "active_projects" AS SELECT id, title FROM projects WHERE status = 'active';
-- must return no rows:
PRAGMA foreign_key_check("teams");
COMMIT;
PRAGMA foreign_keys = ON;

-- step 2: op.alter_column (line 10)
-- folded into step 1 (op.batch block)

-- step 3: op.alter_column (line 11)
-- folded into step 1 (op.batch block)
