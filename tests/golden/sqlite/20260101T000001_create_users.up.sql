-- 20260101T000001_create_users upgrade (sqlite)

-- step 1: op.create_table (line 8)
CREATE TABLE "users" (
  "id" INTEGER NOT NULL PRIMARY KEY,
  "email" TEXT NOT NULL,
  "name" TEXT,
  "created_at" TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "is_admin" INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX "uq_users_email" ON "users" ("email");
