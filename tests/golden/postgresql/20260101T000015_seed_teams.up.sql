-- 20260101T000015_seed_teams upgrade (postgresql)

-- step 1: op.bulk_insert (line 8)
INSERT INTO "teams" ("name", "slug", "headcount", "rating") VALUES
  ('core', 'core', 3, 4.5),
  ('ops', 'ops', 2, NULL),
  ('O''Brien \ co', 'obrien', 1, 3);
