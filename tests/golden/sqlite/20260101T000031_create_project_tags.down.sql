-- 20260101T000031_create_project_tags downgrade (sqlite)
-- synthesized from the replayed schema

-- step 1: undo op.create_foreign_key (line 16) [outside a transaction]
PRAGMA foreign_keys = OFF;
BEGIN;
DROP VIEW IF EXISTS "active_projects";
CREATE TABLE "_joryu_new_project_tags" (
  "project_id" INTEGER NOT NULL,
  "tag_id" INTEGER NOT NULL,
  PRIMARY KEY ("project_id", "tag_id"),
  CONSTRAINT "fk_project_tags_project" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE CASCADE
);
INSERT INTO "_joryu_new_project_tags" ("project_id", "tag_id") SELECT "project_id", "tag_id" FROM "project_tags";
DROP TABLE "project_tags";
ALTER TABLE "_joryu_new_project_tags" RENAME TO "project_tags";
CREATE VIEW "active_projects" AS SELECT id, title FROM projects WHERE status = 'active';
-- must return no rows:
PRAGMA foreign_key_check("project_tags");
COMMIT;
PRAGMA foreign_keys = ON;

-- step 2: undo op.create_foreign_key (line 15) [outside a transaction]
PRAGMA foreign_keys = OFF;
BEGIN;
DROP VIEW IF EXISTS "active_projects";
CREATE TABLE "_joryu_new_project_tags" (
  "project_id" INTEGER NOT NULL,
  "tag_id" INTEGER NOT NULL,
  PRIMARY KEY ("project_id", "tag_id")
);
INSERT INTO "_joryu_new_project_tags" ("project_id", "tag_id") SELECT "project_id", "tag_id" FROM "project_tags";
DROP TABLE "project_tags";
ALTER TABLE "_joryu_new_project_tags" RENAME TO "project_tags";
CREATE VIEW "active_projects" AS SELECT id, title FROM projects WHERE status = 'active';
-- must return no rows:
PRAGMA foreign_key_check("project_tags");
COMMIT;
PRAGMA foreign_keys = ON;

-- step 3: undo op.create_table (line 8) [destructive]
DROP TABLE "project_tags";
