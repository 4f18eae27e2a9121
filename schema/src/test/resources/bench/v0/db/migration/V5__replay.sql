-- spinctl explain tells one user's story from spin.decisions. Rows written by one transaction share
-- one "at" (now() is the transaction's start), so the log needs its own insertion order.
ALTER TABLE spin.decisions ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
