-- A tombstone's time is when it was written, not when its transaction started: erasure and purge
-- transactions wait for conversation locks first (ErasureWatch reads tombstones by this time).
ALTER TABLE conversation_tombstones ALTER COLUMN at SET DEFAULT clock_timestamp();
