-- 20260101T000047_users_batch_mix upgrade (sqlite)

-- step 1: op.add_column (line 9) [destructive]
-- op.batch block
ALTER TABLE "users" ADD COLUMN "score" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "users" DROP COLUMN "phone_number";
ALTER TABLE "users" RENAME COLUMN "name" TO "full_name";
CREATE INDEX "ix_users_full_name" ON "users" ("full_name");
DROP INDEX "ix_users_full_name";
CREATE INDEX "ix_users_score" ON "users" ("score");

-- step 2: op.drop_column (line 10)
-- folded into step 1 (op.batch block)

-- step 3: op.rename_column (line 11)
-- folded into step 1 (op.batch block)

-- step 4: op.create_index (line 12)
-- folded into step 1 (op.batch block)

-- step 5: op.drop_index (line 13)
-- folded into step 1 (op.batch block)

-- step 6: op.create_index (line 14)
-- folded into step 1 (op.batch block)
