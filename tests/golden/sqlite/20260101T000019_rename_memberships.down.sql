-- 20260101T000019_rename_memberships downgrade (sqlite)
-- synthesized from the replayed schema

-- step 1: undo op.rename_table (line 8)
ALTER TABLE "team_members" RENAME TO "memberships";
