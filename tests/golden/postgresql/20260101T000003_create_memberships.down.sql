-- 20260101T000003_create_memberships downgrade (postgresql)
-- synthesized from the replayed schema

-- step 1: undo op.create_table (line 8) [destructive]
DROP TABLE "memberships";
DROP TYPE "member_role";
