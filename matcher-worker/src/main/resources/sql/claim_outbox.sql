-- Takes the oldest outbox rows out of the table, in id order. The DELETE row-locks them until the
-- relay's transaction ends: it commits only after Kafka acknowledged every record, so relays on other
-- workers skip these rows (SKIP LOCKED) instead of publishing them twice, and a failed round rolls
-- back and leaves them for the next one. (= ANY(ARRAY(...)): the claimed ids are computed once and
-- deleted by primary key; an IN (subquery) may be planned as a scan of the whole table.)
WITH taken AS (
    DELETE FROM spin.outbox
     WHERE id = ANY (ARRAY(SELECT id FROM spin.outbox ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED))
    RETURNING id, event_id, topic, message_key, payload, headers, created_at
)
SELECT id, event_id, topic, message_key, payload::text AS payload, headers::text AS headers, created_at
  FROM taken
 ORDER BY id
