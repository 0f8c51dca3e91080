-- 20260101T000005_add_user_columns upgrade (sqlite)

-- step 1: op.add_column (line 8)
ALTER TABLE "users" ADD COLUMN "phone" TEXT;

-- step 2: op.add_column (line 9)
ALTER TABLE "users" ADD COLUMN "bio" TEXT;

-- step 3: op.add_column (line 10)
ALTER TABLE "users" ADD COLUMN "login_count" INTEGER NOT NULL DEFAULT 0;
