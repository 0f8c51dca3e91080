-- 20260101T000003_create_memberships upgrade (mariadb)

-- step 1: op.create_table (line 8)
CREATE TABLE `memberships` (
  `team_id` INT NOT NULL,
  `user_id` BIGINT NOT NULL,
  `role` ENUM('owner', 'member', 'guest') NOT NULL DEFAULT 'member',
  PRIMARY KEY (`team_id`, `user_id`)
);
