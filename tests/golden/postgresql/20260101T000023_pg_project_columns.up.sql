-- 20260101T000023_pg_project_columns upgrade (postgresql)

-- step 1: op.add_column (line 8)
ALTER TABLE "projects" ADD COLUMN "tags" TEXT[];

-- step 2: op.add_column (line 9)
ALTER TABLE "projects" ADD COLUMN "duration" INTERVAL;

-- step 3: op.add_column (line 10)
ALTER TABLE "projects" ADD COLUMN "search" tsvector;

-- step 4: op.add_column (line 11)
ALTER TABLE "projects" ADD COLUMN "scores" INTEGER[] NOT NULL DEFAULT '{}';
