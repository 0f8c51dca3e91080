-- 20260101T000019_rename_memberships upgrade (mariadb)

-- step 1: op.rename_table (line 8)
RENAME TABLE `memberships` TO `team_members`;
