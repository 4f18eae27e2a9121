-- Why a match paired these two users (parameter: the match id). Matching pairs the user being processed
-- (the later arrival in the queue: the chooser) with the oldest waiting pairable user of the pool (the
-- chosen). Passed over: users of the pool whose spin was queued before the chosen one's and still open when
-- the match was made, each with the reason it is known for: a recent partner of the chooser (within the
-- rematch cooldown), or else not available to this transaction (its lock held elsewhere: contended, or its
-- join not yet committed).
WITH m AS (
    SELECT m.match_id, m.created_at AS at, m.pool, m.user_a, m.user_b,
           CASE WHEN sa.seq < sb.seq THEN m.user_a ELSE m.user_b END AS chosen,
           CASE WHEN sa.seq < sb.seq THEN m.user_b ELSE m.user_a END AS chooser,
           least(sa.seq, sb.seq) AS chosen_seq,
           CASE WHEN sa.seq < sb.seq THEN sa.created_at ELSE sb.created_at END AS chosen_since
      FROM spin.matches m JOIN spin.spins sa ON sa.spin_id = m.spin_a JOIN spin.spins sb ON sb.spin_id = m.spin_b
     WHERE m.match_id = ?::uuid
), passed AS (
    SELECT s.user_id, s.created_at AS since
      FROM spin.spins s, m
     WHERE s.pool = m.pool AND s.seq < m.chosen_seq AND s.created_at <= m.at
       AND s.user_id NOT IN (m.user_a, m.user_b)
       AND coalesce(s.closed_at, (SELECT x.created_at FROM spin.matches x WHERE x.match_id = s.match_id), 'infinity') > m.at
)
SELECT role, user_id, chooser, at, last_matched FROM (
    SELECT 'partner' AS role, m.chosen AS user_id, m.chooser, m.chosen_since AS at, NULL::timestamptz AS last_matched
      FROM m
    UNION ALL
    SELECT 'passed_over', p.user_id, m.chooser, p.since,
           (SELECT max(x.created_at) FROM spin.matches x, spin.settings st
             WHERE x.user_a = least(m.chooser, p.user_id) AND x.user_b = greatest(m.chooser, p.user_id)
               AND x.created_at < m.at AND x.created_at > m.at - st.rematch_cooldown)
      FROM passed p, m
) s
 ORDER BY role = 'partner' DESC, at, user_id
