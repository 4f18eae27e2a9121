-- Last statement of a relay round, once Kafka acknowledged every record: the round's transactions are announced.
UPDATE spin.relay_cursor SET next_xid = ?, moved_at = now()
