-- 20260101T000033_users_name_required upgrade (postgresql)

-- step 1: op.alter_column (line 9)
ALTER TABLE "users" ALTER COLUMN "name" SET DEFAULT '',
  ALTER COLUMN "name" SET NOT NULL;
