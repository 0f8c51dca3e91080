-- 20260101T000002_create_teams upgrade (postgresql)

-- step 1: op.create_table (line 8)
CREATE TABLE "teams" (
  "id" SERIAL NOT NULL,
  "name" VARCHAR(100) NOT NULL,
  "slug" VARCHAR(50),
  "budget" NUMERIC(12, 2) DEFAULT 0,
  "rating" REAL,
  "score" DOUBLE PRECISION DEFAULT 1.5,
  "size" SMALLINT,
  "ext_id" UUID,
  "logo" BYTEA,
  "thumb" BYTEA,
  "settings" JSONB,
  "founded" DATE,
  "standup" TIME,
  "headcount" INTEGER NOT NULL DEFAULT 0,
  "motto" VARCHAR(200) DEFAULT 'it''s a \ team',
  PRIMARY KEY ("id")
);
COMMENT ON COLUMN "teams"."motto" IS 'shown on the team page';
