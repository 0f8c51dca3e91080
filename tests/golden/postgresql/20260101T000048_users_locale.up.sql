-- 20260101T000048_users_locale upgrade (postgresql)

-- step 1: op.add_column (line 8)
ALTER TABLE "users" ADD COLUMN "locale" VARCHAR(10) NOT NULL DEFAULT 'en';
