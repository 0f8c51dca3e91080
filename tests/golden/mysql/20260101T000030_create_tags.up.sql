-- 20260101T000030_create_tags upgrade (mysql)

-- step 1: op.create_table (line 8)
CREATE TABLE `tags` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `label` VARCHAR(50) NOT NULL,
  `color` VARCHAR(7) NOT NULL DEFAULT '#ffffff',
  `weight` INT DEFAULT (1 + 1),
  PRIMARY KEY (`id`)
);
CREATE UNIQUE INDEX `uq_tags_label` ON `tags` (`label`);
