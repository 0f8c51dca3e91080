-- 20260101T000045_raw_unique_and_fk downgrade (postgresql)
-- synthesized from the replayed schema

-- step 1: undo op.declare_schema_change (line 22)
-- replay hint: runs nothing

-- step 2: undo op.execute (line 18)
ALTER TABLE tags ADD CONSTRAINT uq_tags_color_label UNIQUE (color, label);

-- step 3: undo op.declare_schema_change (line 15)
-- replay hint: runs nothing

-- step 4: undo op.execute (line 8)
ALTER TABLE tags DROP CONSTRAINT uq_tags_color_label;
