-- 20260101T000011_create_projects upgrade (mariadb)

-- step 1: op.create_table (line 8)
CREATE TABLE `projects` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `team_id` INT NOT NULL,
  `title` VARCHAR(200) NOT NULL,
  `status` ENUM('draft', 'active', 'archived') NOT NULL DEFAULT 'draft',
  `budget` DECIMAL(10, 2),
  `starts_on` DATE,
  `double_budget` DECIMAL(12, 2) GENERATED ALWAYS AS (budget * 2) STORED,
  PRIMARY KEY (`id`)
);
