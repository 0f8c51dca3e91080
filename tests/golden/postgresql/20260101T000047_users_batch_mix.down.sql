-- 20260101T000047_users_batch_mix downgrade (postgresql)
-- synthesized from the replayed schema

-- step 1: undo op.create_index (line 14)
DROP INDEX "ix_users_score";

-- step 2: undo op.drop_index (line 13)
CREATE INDEX "ix_users_full_name" ON "users" ("full_name");

-- step 3: undo op.create_index (line 12)
DROP INDEX "ix_users_full_name";

-- step 4: undo op.rename_column (line 11)
ALTER TABLE "users" RENAME COLUMN "full_name" TO "name";

-- step 5: undo op.drop_column (line 10)
ALTER TABLE "users" ADD COLUMN "phone_number" VARCHAR(20);

-- step 6: undo op.add_column (line 9) [destructive]
ALTER TABLE "users" DROP COLUMN "score";
