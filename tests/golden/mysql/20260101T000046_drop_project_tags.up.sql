-- 20260101T000046_drop_project_tags upgrade (mysql)

-- step 1: op.drop_table (line 8) [destructive]
DROP TABLE `project_tags`;
