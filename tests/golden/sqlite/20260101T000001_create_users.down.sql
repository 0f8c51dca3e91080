-- 20260101T000001_create_users downgrade (sqlite)
-- synthesized from the replayed schema

-- step 1: undo op.create_table (line 8) [destructive]
DROP TABLE "users";
