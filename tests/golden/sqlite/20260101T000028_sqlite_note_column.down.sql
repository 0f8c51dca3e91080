-- 20260101T000028_sqlite_note_column downgrade (sqlite)
-- synthesized from the replayed schema

-- step 1: undo op.add_column (line 8) [destructive]
ALTER TABLE "teams" DROP COLUMN "note";
