UPDATE spin.outbox SET published_at = now() WHERE id = ANY(?::bigint[])
