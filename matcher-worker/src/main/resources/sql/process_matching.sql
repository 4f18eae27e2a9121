-- Retries matching for users that were contended (their advisory lock was held elsewhere).
SELECT user_id, result, match_id, partner_id
  FROM spin.process_matching(?::text[])
