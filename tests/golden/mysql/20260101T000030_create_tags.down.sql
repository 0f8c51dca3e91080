-- 20260101T000030_create_tags downgrade (mysql)
-- synthesized from the replayed schema

-- step 1: undo op.create_table (line 8) [destructive]
DROP TABLE `tags`;
