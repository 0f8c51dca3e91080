-- 20260101T000008_alter_login_count downgrade (postgresql)
-- synthesized from the replayed schema

-- step 1: undo op.alter_column (line 10)
COMMENT ON COLUMN "users"."bio" IS 'about me';

-- step 2: undo op.alter_column (line 9)
ALTER TABLE "users" ALTER COLUMN "login_count" DROP DEFAULT,
  ALTER COLUMN "login_count" TYPE INTEGER USING "login_count"::INTEGER,
  ALTER COLUMN "login_count" SET DEFAULT 0;
