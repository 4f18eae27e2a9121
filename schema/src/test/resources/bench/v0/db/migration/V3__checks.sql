-- The invariant checker. Same lock rules as V2 (L4: it never waits). Expiry and repair: V4.

-- One row per violation of DESIGN.md invariants 1-6; empty means healthy.
CREATE FUNCTION spin.invariant_violations(p_stranded_grace interval DEFAULT interval '1 second')
    RETURNS TABLE (kind text, user_id text, match_id uuid, spin_id uuid, detail text)
    LANGUAGE sql STABLE
AS $$
WITH active_seats AS (              -- (user, match) for every active match, from the match rows
    SELECT m.user_a AS user_id, m.match_id FROM spin.matches m WHERE m.active
    UNION ALL
    SELECT m.user_b, m.match_id FROM spin.matches m WHERE m.active
), cooldown AS (
    SELECT rematch_cooldown FROM spin.settings
)
-- 1. a user is in at most one active match
SELECT 'user_in_two_active_matches', s.user_id, min(s.match_id::text)::uuid, NULL::uuid,
       count(*) || ' active matches'
  FROM active_seats s GROUP BY s.user_id HAVING count(*) > 1
UNION ALL
-- 1. also in the past: a user's matches never overlapped in time (created/ended use clock_timestamp)
SELECT 'overlapping_matches', o.user_id, o.match_id, NULL,
       'created while match ' || o.previous || ' was still active'
  FROM (SELECT s.user_id, m.match_id, m.created_at,
               lag(m.match_id) OVER w AS previous,
               lag(coalesce(m.ended_at, 'infinity')) OVER w AS previous_end
          FROM (SELECT user_a AS user_id, match_id FROM spin.matches
                UNION ALL SELECT user_b, match_id FROM spin.matches) s
          JOIN spin.matches m ON m.match_id = s.match_id
        WINDOW w AS (PARTITION BY s.user_id ORDER BY m.created_at, m.match_id)) o
 WHERE o.previous_end > o.created_at
UNION ALL
-- 2. at most one open spin per user
SELECT 'multiple_open_spins', sp.user_id, NULL, min(sp.spin_id::text)::uuid, count(*) || ' open spins'
  FROM spin.spins sp WHERE sp.outcome IS NULL GROUP BY sp.user_id HAVING count(*) > 1
UNION ALL
-- 2. never waiting and matched at once
SELECT 'waiting_and_matched', sp.user_id, s.match_id, sp.spin_id, 'open spin while in an active match'
  FROM spin.spins sp JOIN active_seats s ON s.user_id = sp.user_id WHERE sp.outcome IS NULL
UNION ALL
-- 3. never two active matches of one pair
SELECT 'pair_active_twice', m.user_a, min(m.match_id::text)::uuid, NULL, 'with ' || m.user_b
  FROM spin.matches m WHERE m.active GROUP BY m.user_a, m.user_b HAVING count(*) > 1
UNION ALL
-- 3. no rematch within the cooldown
SELECT 'rematch_within_cooldown', r.user_a, r.match_id, NULL,
       'with ' || r.user_b || ' after ' || r.gap
  FROM (SELECT m.user_a, m.user_b, m.match_id,
               m.created_at - lag(m.created_at) OVER (PARTITION BY m.user_a, m.user_b
                                                      ORDER BY m.created_at) AS gap
          FROM spin.matches m) r, cooldown c
 WHERE r.gap < c.rematch_cooldown
UNION ALL
-- 3. every match recorded for the cooldown
SELECT 'cooldown_not_recorded', m.user_a, m.match_id, NULL, 'with ' || m.user_b
  FROM spin.matches m
 WHERE NOT EXISTS (SELECT 1 FROM spin.recent_pairs r WHERE r.user_a = m.user_a
                      AND r.user_b = m.user_b AND r.matched_at >= m.created_at)
UNION ALL
-- 4. two distinct users
SELECT 'self_match', m.user_a, m.match_id, NULL, 'user_a >= user_b'
  FROM spin.matches m WHERE NOT (m.user_a < m.user_b)
UNION ALL
-- 4. members are exactly the two users, with the match's active flag
SELECT 'match_members_mismatch', m.user_a, m.match_id, NULL,
       'members ' || coalesce(mm.users::text, '{}') || ' for ' || m.user_a || ',' || m.user_b
  FROM spin.matches m
  LEFT JOIN LATERAL (SELECT array_agg(x.user_id ORDER BY x.user_id) AS users,
                            bool_and(x.active = m.active) AS flags_ok
                       FROM spin.match_members x WHERE x.match_id = m.match_id) mm ON true
 WHERE mm.users IS DISTINCT FROM ARRAY[m.user_a, m.user_b] OR NOT mm.flags_ok
UNION ALL
-- 4 + 5. each member has exactly one spin matched into the match, of the match's pool
SELECT 'match_spins_mismatch', s.user_id, s.match_id, NULL,
       count(sp.spin_id) || ' matched spins, pools ' || coalesce(string_agg(sp.pool, ','), '-')
  FROM (SELECT m.user_a AS user_id, m.match_id, m.pool FROM spin.matches m
        UNION ALL SELECT m.user_b, m.match_id, m.pool FROM spin.matches m) s
  LEFT JOIN spin.spins sp ON sp.match_id = s.match_id AND sp.user_id = s.user_id
 GROUP BY s.user_id, s.match_id, s.pool
HAVING count(sp.spin_id) <> 1 OR bool_or(sp.pool <> s.pool)
UNION ALL
-- 5. a matched spin belongs to a participant of its match
SELECT 'spin_matched_outside_match', sp.user_id, sp.match_id, sp.spin_id, 'not a participant'
  FROM spin.spins sp JOIN spin.matches m ON m.match_id = sp.match_id
 WHERE sp.user_id NOT IN (m.user_a, m.user_b)
UNION ALL
-- user rows agree with spins and matches
SELECT 'user_state_mismatch', u.user_id, u.match_id, u.spin_id,
       CASE WHEN u.state = 'waiting' THEN 'waiting on a spin that is not their open spin in pool ' || u.pool
            ELSE 'matched to a match that is not their active match' END
  FROM spin.users u
 WHERE (u.state = 'waiting' AND NOT EXISTS (
            SELECT 1 FROM spin.spins sp WHERE sp.spin_id = u.spin_id AND sp.user_id = u.user_id
               AND sp.outcome IS NULL AND sp.pool = u.pool))
    OR (u.state = 'matched' AND NOT EXISTS (
            SELECT 1 FROM active_seats s WHERE s.user_id = u.user_id AND s.match_id = u.match_id))
UNION ALL
SELECT 'open_spin_not_waiting', sp.user_id, NULL, sp.spin_id, 'user row is not waiting on it'
  FROM spin.spins sp
 WHERE sp.outcome IS NULL
   AND NOT EXISTS (SELECT 1 FROM spin.users u WHERE u.user_id = sp.user_id
                      AND u.state = 'waiting' AND u.spin_id = sp.spin_id)
UNION ALL
SELECT 'active_match_not_in_user_row', s.user_id, s.match_id, NULL, 'user row is not matched to it'
  FROM active_seats s
 WHERE NOT EXISTS (SELECT 1 FROM spin.users u WHERE u.user_id = s.user_id
                      AND u.state = 'matched' AND u.match_id = s.match_id)
UNION ALL
-- 6. no stranded users: two waiting users of one pool who may be paired, both past the grace
SELECT 'stranded', a.user_id, NULL, a.spin_id,
       'pool ' || a.pool || ': may pair with ' || min(b.user_id)
  FROM spin.users a
  JOIN spin.users b ON b.pool = a.pool AND b.state = 'waiting' AND b.user_id <> a.user_id
 WHERE a.state = 'waiting'
   AND a.waiting_since <= now() - p_stranded_grace
   AND b.waiting_since <= now() - p_stranded_grace
   AND NOT EXISTS (SELECT 1 FROM spin.cooling_pairs() r
                    WHERE r.user_a = least(a.user_id, b.user_id) AND r.user_b = greatest(a.user_id, b.user_id))
 GROUP BY a.user_id, a.spin_id, a.pool
$$;
