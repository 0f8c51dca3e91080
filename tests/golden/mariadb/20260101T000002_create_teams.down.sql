-- 20260101T000002_create_teams downgrade (mariadb)
-- synthesized from the replayed schema

-- step 1: undo op.create_table (line 8) [destructive]
DROP TABLE `teams`;
