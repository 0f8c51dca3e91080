-- 20260101T000024_pg_index_methods downgrade (postgresql)
-- synthesized from the replayed schema

-- step 1: undo op.create_index (line 10)
DROP INDEX "ix_projects_team_hash";

-- step 2: undo op.create_index (line 9)
DROP INDEX "ix_projects_search";

-- step 3: undo op.create_index (line 8)
DROP INDEX "ix_projects_tags";
