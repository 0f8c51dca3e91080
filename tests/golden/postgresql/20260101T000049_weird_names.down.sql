-- 20260101T000049_weird_names downgrade (postgresql)
-- synthesized from the replayed schema

-- step 1: undo op.create_index (line 15)
DROP INDEX "ix weird";

-- step 2: undo op.create_table (line 8) [destructive]
DROP TABLE "Order ""Items""";
