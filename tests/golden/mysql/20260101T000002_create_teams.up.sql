-- 20260101T000002_create_teams upgrade (mysql)

-- step 1: op.create_table (line 8)
CREATE TABLE `teams` (
  `id` INT NOT NULL AUTO_INCREMENT,
  `name` VARCHAR(100) NOT NULL,
  `slug` VARCHAR(50),
  `budget` DECIMAL(12, 2) DEFAULT 0,
  `rating` FLOAT,
  `score` DOUBLE DEFAULT 1.5,
  `size` SMALLINT,
  `ext_id` CHAR(36),
  `logo` LONGBLOB,
  `thumb` VARBINARY(64),
  `settings` JSON,
  `founded` DATE,
  `standup` TIME,
  `headcount` INT NOT NULL DEFAULT 0,
  `motto` VARCHAR(200) DEFAULT 'it''s a \\ team' COMMENT 'shown on the team page',
  PRIMARY KEY (`id`)
);
