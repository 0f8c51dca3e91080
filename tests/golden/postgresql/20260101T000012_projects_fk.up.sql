-- 20260101T000012_projects_fk upgrade (postgresql)

-- step 1: op.create_foreign_key (line 9)
ALTER TABLE "projects" ADD CONSTRAINT "fk_projects_team" FOREIGN KEY ("team_id") REFERENCES "teams" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
