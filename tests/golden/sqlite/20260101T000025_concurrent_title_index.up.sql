-- 20260101T000025_concurrent_title_index upgrade (sqlite)

-- step 1: op.create_index (line 8)
CREATE INDEX "ix_projects_title" ON "projects" ("title");
