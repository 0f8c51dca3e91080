-- 20260101T000030_create_tags upgrade (sqlite)

-- step 1: op.create_table (line 8)
CREATE TABLE "tags" (
  "id" INTEGER NOT NULL PRIMARY KEY,
  "label" TEXT NOT NULL,
  "color" TEXT NOT NULL DEFAULT '#ffffff',
  "weight" INTEGER DEFAULT (1 + 1)
);
CREATE UNIQUE INDEX "uq_tags_label" ON "tags" ("label");
