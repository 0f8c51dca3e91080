-- 20260101T000033_users_name_required upgrade (sqlite)

-- step 1: op.alter_column (line 9) [outside a transaction]
-- op.batch block: one SQLite table rebuild
PRAGMA foreign_keys = OFF;
BEGIN;
DROP VIEW IF EXISTS "active_projects";
CREATE TABLE "_joryu_new_users" (
  "id" INTEGER NOT NULL PRIMARY KEY,
  "email" TEXT NOT NULL,
  "name" TEXT NOT NULL DEFAULT '',
  "created_at" TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "is_admin" INTEGER NOT NULL DEFAULT 0,
  "phone_number" TEXT,
  "login_count" INTEGER NOT NULL DEFAULT 0,
  "nickname" TEXT
);
INSERT INTO "_joryu_new_users" ("id", "email", "name", "created_at", "is_admin", "phone_number", "login_count", "nickname") SELECT "id", "email", "name", "created_at", "is_admin", "phone_number", "login_count", "nickname" FROM "users";
DROP TABLE "users";
ALTER TABLE "_joryu_new_users" RENAME TO "users";
CREATE UNIQUE INDEX "uq_users_email" ON "users" ("email");
CREATE INDEX "ix_users_name" ON "users" ("name");
CREATE VIEW "active_projects" AS SELECT id, title FROM projects WHERE status = 'active';
-- must return no rows:
PRAGMA foreign_key_check("users");
COMMIT;
PRAGMA foreign_keys = ON;
