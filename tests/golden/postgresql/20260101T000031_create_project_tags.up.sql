-- 20260101T000031_create_project_tags upgrade (postgresql)

-- step 1: op.create_table (line 8)
CREATE TABLE "project_tags" (
  "project_id" BIGINT NOT NULL,
  "tag_id" BIGINT NOT NULL,
  PRIMARY KEY ("project_id", "tag_id")
);

-- step 2: op.create_foreign_key (line 15)
-- op.batch block
ALTER TABLE "project_tags" ADD CONSTRAINT "fk_project_tags_project" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE CASCADE,
  ADD CONSTRAINT "fk_project_tags_tag" FOREIGN KEY ("tag_id") REFERENCES "tags" ("id") ON DELETE CASCADE;

-- step 3: op.create_foreign_key (line 16)
-- folded into step 2 (op.batch block)
