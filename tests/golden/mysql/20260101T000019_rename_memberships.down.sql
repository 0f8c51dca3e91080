-- 20260101T000019_rename_memberships downgrade (mysql)
-- synthesized from the replayed schema

-- step 1: undo op.rename_table (line 8)
RENAME TABLE `team_members` TO `memberships`;
