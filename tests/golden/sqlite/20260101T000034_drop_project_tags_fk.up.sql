-- 20260101T000034_drop_project_tags_fk upgrade (sqlite)

-- step 1: op.drop_constraint (line 9) [outside a transaction]
-- op.batch block: one SQLite table rebuild
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
