-- 20260101T000023_pg_project_columns downgrade (postgresql)
-- synthesized from the replayed schema

-- step 1: undo op.add_column (line 11) [destructive]
ALTER TABLE "projects" DROP COLUMN "scores";

-- step 2: undo op.add_column (line 10) [destructive]
ALTER TABLE "projects" DROP COLUMN "search";

-- step 3: undo op.add_column (line 9) [destructive]
ALTER TABLE "projects" DROP COLUMN "duration";

-- step 4: undo op.add_column (line 8) [destructive]
ALTER TABLE "projects" DROP COLUMN "tags";
