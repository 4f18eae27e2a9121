-- The records of one round (cursor, horizon, about this many records), in publication order, and where the round ends.
WITH round AS (SELECT spin.relay_round_end(?, ?, ?) AS end_xid)
SELECT r.end_xid, a.xid, a.at, a.type, a.user_id, a.partner_id, a.match_id, a.spin_id, a.pool, a.reason, a.ended_by, a.trace_id
  FROM round r LEFT JOIN LATERAL spin.announcements(?, r.end_xid) a ON true
