-- 20260101T000004_membership_fks upgrade (postgresql)

-- step 1: op.create_foreign_key (line 9)
-- op.batch block
ALTER TABLE "memberships" ADD CONSTRAINT "fk_memberships_team" FOREIGN KEY ("team_id") REFERENCES "teams" ("id") ON DELETE CASCADE,
  ADD CONSTRAINT "fk_memberships_user" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE;

-- step 2: op.create_foreign_key (line 10)
-- folded into step 1 (op.batch block)
