-- 20260101T000026_mysql_note_column upgrade (mariadb)

-- step 1: op.add_column (line 8)
ALTER TABLE `teams` ADD COLUMN `note` MEDIUMTEXT;
