-- 20260101T000048_users_locale upgrade (sqlite)

-- step 1: op.add_column (line 8)
ALTER TABLE "users" ADD COLUMN "locale" TEXT NOT NULL DEFAULT 'en';
