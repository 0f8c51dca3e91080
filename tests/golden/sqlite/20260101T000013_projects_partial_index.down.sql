-- 20260101T000013_projects_partial_index downgrade (sqlite)
-- synthesized from the replayed schema

-- step 1: undo op.create_index (line 11)
DROP INDEX "ix_projects_active";
