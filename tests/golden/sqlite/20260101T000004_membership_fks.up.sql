-- 20260101T000004_membership_fks upgrade (sqlite)

-- step 1: op.create_foreign_key (line 9) [outside a transaction]
-- op.batch block: one SQLite table rebuild
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE "_joryu_new_memberships" (
  "team_id" INTEGER NOT NULL,
  "user_id" INTEGER NOT NULL,
  "role" TEXT NOT NULL DEFAULT 'member',
  PRIMARY KEY ("team_id", "user_id"),
  CONSTRAINT "fk_memberships_team" FOREIGN KEY ("team_id") REFERENCES "teams" ("id") ON DELETE CASCADE,
  CONSTRAINT "fk_memberships_user" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE,
  CHECK ("role" IN ('owner', 'member', 'guest'))
);
INSERT INTO "_joryu_new_memberships" ("team_id", "user_id", "role") SELECT "team_id", "user_id", "role" FROM "memberships";
DROP TABLE "memberships";
ALTER TABLE "_joryu_new_memberships" RENAME TO "memberships";
-- must return no rows:
PRAGMA foreign_key_check("memberships");
COMMIT;
PRAGMA foreign_keys = ON;

-- step 2: op.create_foreign_key (line 10)
-- folded into step 1 (op.batch block)
