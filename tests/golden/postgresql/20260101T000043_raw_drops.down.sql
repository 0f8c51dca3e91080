-- 20260101T000043_raw_drops downgrade (postgresql)
-- synthesized from the replayed schema

-- step 1: undo op.declare_schema_change (line 20)
-- replay hint: runs nothing

-- step 2: undo op.execute (line 16)
ALTER TABLE users ADD COLUMN handle VARCHAR(60);

-- step 3: undo op.execute (line 12)
CREATE INDEX ix_users_name ON users (name);

-- step 4: undo op.execute (line 8)
CREATE VIEW active_projects AS SELECT id, title FROM projects WHERE status = 'active';
