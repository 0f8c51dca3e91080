-- 20260101T000033_users_name_required downgrade (postgresql)
-- synthesized from the replayed schema

-- step 1: undo op.alter_column (line 9)
ALTER TABLE "users" ALTER COLUMN "name" DROP DEFAULT,
  ALTER COLUMN "name" DROP NOT NULL;
