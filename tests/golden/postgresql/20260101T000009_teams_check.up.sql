-- 20260101T000009_teams_check upgrade (postgresql)

-- step 1: op.create_check_constraint (line 9)
ALTER TABLE "teams" ADD CONSTRAINT "ck_teams_headcount" CHECK (headcount >= 0);
