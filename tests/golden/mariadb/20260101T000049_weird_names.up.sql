-- 20260101T000049_weird_names upgrade (mariadb)

-- step 1: op.create_table (line 8)
CREATE TABLE `Order "Items"` (
  `id` INT NOT NULL,
  `select` VARCHAR(30) DEFAULT 'a''b',
  `MixedCase` INT,
  `naïve ``col``` LONGTEXT,
  PRIMARY KEY (`id`)
);

-- step 2: op.create_index (line 15)
CREATE INDEX `ix weird` ON `Order "Items"` (`select`);
