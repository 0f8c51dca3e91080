-- 20260101T000008_alter_login_count upgrade (postgresql)

-- step 1: op.alter_column (line 9)
-- op.batch block
ALTER TABLE "users" ALTER COLUMN "login_count" DROP DEFAULT,
  ALTER COLUMN "login_count" TYPE BIGINT USING "login_count"::BIGINT,
  ALTER COLUMN "login_count" SET DEFAULT 0;
COMMENT ON COLUMN "users"."bio" IS 'about the user';

-- step 2: op.alter_column (line 10)
-- folded into step 1 (op.batch block)
