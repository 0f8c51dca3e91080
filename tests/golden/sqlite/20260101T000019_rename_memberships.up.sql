-- 20260101T000019_rename_memberships upgrade (sqlite)

-- step 1: op.rename_table (line 8)
ALTER TABLE "memberships" RENAME TO "team_members";
