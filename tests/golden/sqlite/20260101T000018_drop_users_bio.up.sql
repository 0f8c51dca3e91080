-- 20260101T000018_drop_users_bio upgrade (sqlite)

-- step 1: op.drop_column (line 8) [destructive]
ALTER TABLE "users" DROP COLUMN "bio";
