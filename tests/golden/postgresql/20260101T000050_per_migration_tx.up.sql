-- 20260101T000050_per_migration_tx upgrade (postgresql)

-- step 1: op.add_column (line 8)
ALTER TABLE "tags" ADD COLUMN "code" VARCHAR(12);
CREATE UNIQUE INDEX "uq_tags_code" ON "tags" ("code");
COMMENT ON COLUMN "tags"."code" IS 'short code';

-- step 2: op.add_column (line 18)
ALTER TABLE "tags" ADD COLUMN "created_at" TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP;
