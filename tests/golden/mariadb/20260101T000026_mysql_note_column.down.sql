-- 20260101T000026_mysql_note_column downgrade (mariadb)
-- synthesized from the replayed schema

-- step 1: undo op.add_column (line 8) [destructive]
ALTER TABLE `teams` DROP COLUMN `note`;
