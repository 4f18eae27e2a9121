-- Every decision about one user, in the order they were made.
SELECT d.seq, d.at, d.kind, d.user_id, d.spin_id::text, d.match_id::text, d.partner_id, d.trace_id, d.detail
  FROM spin.decisions d
 WHERE d.user_id = ?
 ORDER BY d.seq
