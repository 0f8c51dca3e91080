-- 20260101T000027_pg_note_column downgrade (postgresql)
-- synthesized from the replayed schema

-- step 1: undo op.add_column (line 8) [destructive]
ALTER TABLE "teams" DROP COLUMN "note";
