-- 20260101T000006_users_indexes downgrade (sqlite)
-- synthesized from the replayed schema

-- step 1: undo op.create_index (line 9)
DROP INDEX "ix_users_created";

-- step 2: undo op.create_index (line 8)
DROP INDEX "ix_users_name";
