-- Everything the database knows about one user, rebuilt from the state itself: each spin queued and how it
-- closed, each match made and ended, events that changed nothing, repairs. In order of time, then of the
-- spin concerned (queue order), then of the step (a spin is queued, matched, its match ends, or it closes).
WITH me AS (SELECT ?::text AS user_id), story AS (
    SELECT s.created_at AS at, s.seq, 0 AS step, 'queued' AS kind, s.user_id, s.spin_id, NULL::uuid AS match_id,
           NULL::text AS partner_id, s.trace_id, s.pool AS detail
      FROM spin.spins s, me WHERE s.user_id = me.user_id
    UNION ALL
    SELECT m.created_at, s.seq, 1, 'matched', s.user_id, s.spin_id, m.match_id,
           CASE WHEN m.user_a = s.user_id THEN m.user_b ELSE m.user_a END, m.trace_id, NULL
      FROM spin.spins s JOIN spin.matches m ON m.match_id = s.match_id, me WHERE s.user_id = me.user_id
    UNION ALL
    SELECT m.ended_at, s.seq, 2, 'match_ended', s.user_id, s.spin_id, m.match_id,
           CASE WHEN m.user_a = s.user_id THEN m.user_b ELSE m.user_a END, coalesce(m.end_trace_id, m.trace_id),
           m.end_reason || coalesce(' by ' || m.ended_by, '')
      FROM spin.spins s JOIN spin.matches m ON m.match_id = s.match_id, me
     WHERE s.user_id = me.user_id AND m.ended_at IS NOT NULL
    UNION ALL
    SELECT s.closed_at, s.seq, 3, s.outcome, s.user_id, s.spin_id, NULL, NULL, coalesce(s.close_trace_id, s.trace_id), NULL
      FROM spin.spins s, me WHERE s.user_id = me.user_id AND s.closed_at IS NOT NULL
    UNION ALL
    SELECT r.recorded_at, (SELECT s.seq FROM spin.spins s WHERE s.spin_id = r.spin_id), 4, r.result, r.user_id,
           r.spin_id, r.match_id, NULL, NULL, r.event_type || ': ' || r.reason
      FROM spin.event_results r, me WHERE r.user_id = me.user_id
    UNION ALL
    SELECT l.at, NULL, 5, 'repair_' || l.kind, l.user_id, l.spin_id, l.match_id, l.partner_id, l.trace_id, l.detail
      FROM spin.repair_log l, me WHERE l.user_id = me.user_id
)
SELECT at, kind, user_id, spin_id::text, match_id::text, partner_id, trace_id, detail
  FROM story
 ORDER BY at, seq NULLS LAST, step
