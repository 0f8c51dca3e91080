-- 20260101T000025_concurrent_title_index downgrade (postgresql)
-- synthesized from the replayed schema

-- step 1: undo op.create_index (line 8)
DROP INDEX "ix_projects_title";
