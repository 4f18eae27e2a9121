-- Why a match paired these two users (parameter: the seq of one of its 'matched' decisions).
-- Matching pairs the user being processed (the later arrival: the chooser) with the oldest waiting
-- pairable user of the pool (the chosen). Passed over: users of the pool whose spin was queued before
-- the chosen one's and still open when the match was made, each with the reason it is known for:
-- a recent partner of the chooser (within the rematch cooldown), or else not available to this
-- transaction (its lock held elsewhere: contended, or its join not yet committed).
WITH m AS (   -- the match, as of its first 'matched' decision (both are written in one statement)
    SELECT f.seq, d.at, d.user_id, d.partner_id, x.pool
      FROM spin.decisions d JOIN spin.matches x ON x.match_id = d.match_id,
           LATERAL (SELECT min(o.seq) AS seq FROM spin.decisions o
                     WHERE o.match_id = d.match_id AND o.kind = 'matched') f
     WHERE d.seq = ?
), queued AS (
    SELECT q.seq, q.at, q.user_id, q.spin_id
      FROM spin.decisions q, m
     WHERE q.kind = 'queued' AND q.detail = m.pool AND q.seq < m.seq
       AND NOT EXISTS (SELECT 1 FROM spin.decisions c
                        WHERE c.spin_id = q.spin_id AND c.kind <> 'queued' AND c.seq < m.seq)
), chosen AS (
    SELECT q.* FROM queued q, m WHERE q.user_id IN (m.user_id, m.partner_id) ORDER BY q.seq LIMIT 1
), chooser AS (
    SELECT CASE WHEN c.user_id = m.user_id THEN m.partner_id ELSE m.user_id END AS user_id FROM chosen c, m
)
SELECT role, user_id, chooser, at, last_matched FROM (
    SELECT 'partner' AS role, c.user_id, h.user_id AS chooser, c.at, NULL::timestamptz AS last_matched
      FROM chosen c, chooser h
    UNION ALL
    SELECT 'passed_over', q.user_id, h.user_id, q.at,
           (SELECT max(r.at) FROM spin.decisions r, spin.settings st
             WHERE r.kind = 'matched' AND r.user_id = h.user_id AND r.partner_id = q.user_id
               AND r.seq < m.seq AND r.at > m.at - st.rematch_cooldown)
      FROM queued q, m, chosen c, chooser h
     WHERE q.seq < c.seq AND q.user_id NOT IN (m.user_id, m.partner_id)
) s
 ORDER BY role = 'partner' DESC, at, user_id
