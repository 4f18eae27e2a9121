-- The relay deletes the outbox rows it published (in the transaction that claimed them, committed after
-- Kafka acknowledged every record) instead of marking them: the table holds only the backlog, and a
-- published row costs one delete instead of a new row version with new index entries, so the outbox
-- no longer grows without bound. spin.matches on Kafka is the record of what was published.
DROP INDEX spin.outbox_unpublished;
ALTER TABLE spin.outbox DROP COLUMN published_at;
