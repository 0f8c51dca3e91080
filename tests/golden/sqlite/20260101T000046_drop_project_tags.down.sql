-- 20260101T000046_drop_project_tags downgrade (sqlite)
-- synthesized from the replayed schema

-- step 1: undo op.drop_table (line 8)
CREATE TABLE "project_tags" (
  "project_id" INTEGER NOT NULL,
  "tag_id" INTEGER NOT NULL,
  PRIMARY KEY ("project_id", "tag_id"),
  CONSTRAINT "fk_project_tags_project" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE CASCADE
);
