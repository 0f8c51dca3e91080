-- 20260101T000002_create_teams upgrade (sqlite)

-- step 1: op.create_table (line 8)
CREATE TABLE "teams" (
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
