-- Claims the oldest unpublished outbox rows; SKIP LOCKED lets several relays share the table
-- without publishing a row twice: the locks are held until the claiming transaction commits.
SELECT id, event_id, topic, message_key, payload::text AS payload, headers::text AS headers, created_at
  FROM spin.outbox
 WHERE published_at IS NULL
 ORDER BY id
 LIMIT ?
   FOR UPDATE SKIP LOCKED
