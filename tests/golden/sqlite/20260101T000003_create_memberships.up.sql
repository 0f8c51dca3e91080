-- 20260101T000003_create_memberships upgrade (sqlite)

-- step 1: op.create_table (line 8)
CREATE TABLE "memberships" (
  "team_id" INTEGER NOT NULL,
  "user_id" INTEGER NOT NULL,
  "role" TEXT NOT NULL DEFAULT 'member',
  PRIMARY KEY ("team_id", "user_id"),
  CHECK ("role" IN ('owner', 'member', 'guest'))
);
