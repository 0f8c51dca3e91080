-- 20260101T000004_membership_fks downgrade (mariadb)
-- synthesized from the replayed schema

-- step 1: undo op.create_foreign_key (line 10)
ALTER TABLE `memberships` DROP FOREIGN KEY `fk_memberships_user`,
  DROP INDEX `fk_memberships_user`;

-- step 2: undo op.create_foreign_key (line 9)
ALTER TABLE `memberships` DROP FOREIGN KEY `fk_memberships_team`;
