-- 20260101T000049_weird_names upgrade (sqlite)

-- step 1: op.create_table (line 8)
CREATE TABLE "Order ""Items""" (
  "id" INTEGER NOT NULL PRIMARY KEY,
  "select" TEXT DEFAULT 'a''b',
  "MixedCase" INTEGER,
  "naïve `col`" TEXT
);

-- step 2: op.create_index (line 15)
CREATE INDEX "ix weird" ON "Order ""Items""" ("select");
