-- 20260101T000013_projects_partial_index upgrade (sqlite)

-- step 1: op.create_index (line 11)
CREATE INDEX "ix_projects_active" ON "projects" ("team_id") WHERE status = 'active';
