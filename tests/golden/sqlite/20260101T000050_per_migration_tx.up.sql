-- 20260101T000050_per_migration_tx upgrade (sqlite)

-- step 1: op.add_column (line 8)
ALTER TABLE "tags" ADD COLUMN "code" TEXT;
CREATE UNIQUE INDEX "uq_tags_code" ON "tags" ("code");

-- step 2: op.add_column (line 18) [outside a transaction]
-- op.batch block: one SQLite table rebuild
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE "_joryu_new_tags" (
  "id" INTEGER NOT NULL PRIMARY KEY,
  "label" TEXT NOT NULL,
  "color" TEXT NOT NULL DEFAULT '#ffffff',
  "weight" INTEGER DEFAULT (1 + 1),
  "code" TEXT,
  "created_at" TEXT DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "_joryu_new_tags" ("id", "label", "color", "weight", "code") SELECT "id", "label", "color", "weight", "code" FROM "tags";
DROP TABLE "tags";
ALTER TABLE "_joryu_new_tags" RENAME TO "tags";
CREATE UNIQUE INDEX "uq_tags_label" ON "tags" ("label");
CREATE UNIQUE INDEX "uq_tags_code" ON "tags" ("code");
-- must return no rows:
PRAGMA foreign_key_check("tags");
COMMIT;
PRAGMA foreign_keys = ON;
