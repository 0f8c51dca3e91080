-- 20260101T000028_sqlite_note_column upgrade (sqlite)

-- step 1: op.add_column (line 8)
ALTER TABLE "teams" ADD COLUMN "note" TEXT;
