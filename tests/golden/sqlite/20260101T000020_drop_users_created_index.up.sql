-- 20260101T000020_drop_users_created_index upgrade (sqlite)

-- step 1: op.drop_index (line 8)
DROP INDEX "ix_users_created";
