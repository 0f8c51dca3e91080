-- 20260101T000007_rename_users_phone upgrade (sqlite)

-- step 1: op.rename_column (line 8)
ALTER TABLE "users" RENAME COLUMN "phone" TO "phone_number";
