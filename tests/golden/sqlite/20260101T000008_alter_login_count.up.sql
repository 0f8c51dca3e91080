-- 20260101T000008_alter_login_count upgrade (sqlite)

-- step 1: op.alter_column (line 9) [outside a transaction]
-- op.batch block: one SQLite table rebuild
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE "_joryu_new_users" (
  "id" INTEGER NOT NULL PRIMARY KEY,
  "email" TEXT NOT NULL,
  "name" TEXT,
  "created_at" TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "is_admin" INTEGER NOT NULL DEFAULT 0,
  "phone_number" TEXT,
  "bio" TEXT,
  "login_count" INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "_joryu_new_users" ("id", "email", "name", "created_at", "is_admin", "phone_number", "bio", "login_count") SELECT "id", "email", "name", "created_at", "is_admin", "phone_number", "bio", "login_count" FROM "users";
DROP TABLE "users";
ALTER TABLE "_joryu_new_users" RENAME TO "users";
CREATE UNIQUE INDEX "uq_users_email" ON "users" ("email");
CREATE INDEX "ix_users_name" ON "users" ("name");
CREATE UNIQUE INDEX "ix_users_created" ON "users" ("created_at", "id");
-- must return no rows:
PRAGMA foreign_key_check("users");
COMMIT;
PRAGMA foreign_keys = ON;

-- step 2: op.alter_column (line 10)
-- folded into step 1 (op.batch block)
