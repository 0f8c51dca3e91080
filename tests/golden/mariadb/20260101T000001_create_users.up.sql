-- 20260101T000001_create_users upgrade (mariadb)

-- step 1: op.create_table (line 8)
CREATE TABLE `users` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `email` VARCHAR(320) NOT NULL,
  `name` LONGTEXT,
  `created_at` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `is_admin` TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`)
) COMMENT='application users';
CREATE UNIQUE INDEX `uq_users_email` ON `users` (`email`);
