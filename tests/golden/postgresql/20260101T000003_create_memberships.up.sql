-- 20260101T000003_create_memberships upgrade (postgresql)

-- step 1: op.create_table (line 8)
CREATE TYPE "member_role" AS ENUM ('owner', 'member', 'guest');
CREATE TABLE "memberships" (
  "team_id" INTEGER NOT NULL,
  "user_id" BIGINT NOT NULL,
  "role" "member_role" NOT NULL DEFAULT 'member',
  PRIMARY KEY ("team_id", "user_id")
);
