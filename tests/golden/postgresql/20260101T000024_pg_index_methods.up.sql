-- 20260101T000024_pg_index_methods upgrade (postgresql)

-- step 1: op.create_index (line 8)
CREATE INDEX "ix_projects_tags" ON "projects" USING gin ("tags");

-- step 2: op.create_index (line 9)
CREATE INDEX "ix_projects_search" ON "projects" USING gist ("search");

-- step 3: op.create_index (line 10)
CREATE INDEX "ix_projects_team_hash" ON "projects" USING hash ("team_id");
