-- Why a match paired its user with that partner (parameters: the 'matched' decision's seq, twice).
-- The partner: when it had queued. Passed over: users of the same pool whose spin was queued before
-- the partner's and still open when the match was made, each with the reason it is known for:
-- a recent partner of the user (within the rematch cooldown), or else not available to this
-- transaction (its lock held elsewhere: contended, or its join not yet committed).
WITH m AS (
    SELECT d.seq, d.at, d.user_id, d.partner_id, d.match_id, x.pool
      FROM spin.decisions d JOIN spin.matches x ON x.match_id = d.match_id
     WHERE d.seq = ?
), queued AS (
    SELECT q.seq, q.at, q.user_id, q.spin_id
      FROM spin.decisions q, m
     WHERE q.kind = 'queued' AND q.detail = m.pool AND q.seq < m.seq
       AND NOT EXISTS (SELECT 1 FROM spin.decisions c
                        WHERE c.spin_id = q.spin_id AND c.kind <> 'queued' AND c.seq < m.seq)
), partner AS (
    SELECT q.* FROM queued q, m WHERE q.user_id = m.partner_id
)
SELECT role, user_id, at, last_matched FROM (
SELECT 'partner' AS role, p.user_id, p.at, NULL::timestamptz AS last_matched
  FROM partner p
UNION ALL
SELECT 'passed_over', q.user_id, q.at,
       (SELECT max(r.at) FROM spin.decisions r, spin.settings st
         WHERE r.kind = 'matched' AND r.user_id = m.user_id AND r.partner_id = q.user_id
           AND r.seq < m.seq AND r.at > m.at - st.rematch_cooldown)
  FROM queued q, m, partner p
 WHERE q.seq < p.seq AND q.user_id NOT IN (m.user_id, m.partner_id)
) s
 ORDER BY role = 'partner' DESC, at, user_id
