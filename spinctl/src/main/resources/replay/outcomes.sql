-- What became of each spin, with the partner when it was matched: the outcome export.
-- Ordered by user (byte order), then by the spin's creation, so one state gives one file.
SELECT s.user_id, s.spin_id::text, s.pool, coalesce(s.outcome, 'waiting') AS outcome,
       CASE WHEN m.user_a = s.user_id THEN m.user_b ELSE m.user_a END AS partner_id,
       s.match_id::text, m.end_reason,
       to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at,
       to_char(s.closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS closed_at
  FROM spin.spins s LEFT JOIN spin.matches m ON m.match_id = s.match_id
 ORDER BY s.user_id COLLATE "C", s.created_at, s.spin_id
