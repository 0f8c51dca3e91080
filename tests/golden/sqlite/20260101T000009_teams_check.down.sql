-- 20260101T000009_teams_check downgrade (sqlite)
-- synthesized from the replayed schema

-- step 1: undo op.create_check_constraint (line 9) [outside a transaction]
PRAGMA foreign_keys = OFF;
BEGIN;
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
  "headcount" INTEGER NOT NULL DEFAULT 0,
  "motto" TEXT DEFAULT 'it''s a \ team'
);
INSERT INTO "_joryu_new_teams" ("id", "name", "slug", "budget", "rating", "score", "size", "ext_id", "logo", "thumb", "settings", "founded", "standup", "headcount", "motto") SELECT "id", "name", "slug", "budget", "rating", "score", "size", "ext_id", "logo", "thumb", "settings", "founded", "standup", "headcount", "motto" FROM "teams";
DROP TABLE "teams";
ALTER TABLE "_joryu_new_teams" RENAME TO "teams";
-- must return no rows:
PRAGMA foreign_key_check("teams");
COMMIT;
PRAGMA foreign_keys = ON;
