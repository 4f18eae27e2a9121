-- Applies one batch of request events (a JSON array, offset order per partition) and matches its users.
SELECT event_id, user_id, result, match_id, partner_id, detail
  FROM spin.apply_batch(?::jsonb)
