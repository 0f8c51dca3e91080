-- 20260101T000025_concurrent_title_index upgrade (postgresql)

-- step 1: op.create_index (line 8) [outside a transaction]
CREATE INDEX CONCURRENTLY "ix_projects_title" ON "projects" ("title");
