-- 20260101T000045_raw_unique_and_fk upgrade (postgresql)

-- step 1: op.execute (line 8)
ALTER TABLE tags ADD CONSTRAINT uq_tags_color_label UNIQUE (color, label);

-- step 2: op.declare_schema_change (line 15)
-- replay hint: runs nothing

-- step 3: op.execute (line 18)
ALTER TABLE tags DROP CONSTRAINT uq_tags_color_label;

-- step 4: op.declare_schema_change (line 22)
-- replay hint: runs nothing
