-- 20260101T000027_pg_note_column upgrade (postgresql)

-- step 1: op.add_column (line 8)
ALTER TABLE "teams" ADD COLUMN "note" TEXT;
