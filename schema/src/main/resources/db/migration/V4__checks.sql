-- The invariant checker: one definition of every invariant of DESIGN.md (1-6), shared by the tests,
-- spinctl check, the dashboard and the repair job. Reads only, takes no locks (L4: never waits).

-- One row per violation; empty means healthy. p_since bounds what is read: the matches created since then and
-- every active match, the spins created since then, every waiting spin and the spins of those matches (BRIN
-- indexes, the active-pair and queue indexes), so a poller pays for the live state and a window of history,
-- not for the whole history. A rematch or an overlap is then seen when both matches fall in the window (take
-- one longer than the rematch cooldown). The default, -infinity, checks everything.
CREATE FUNCTION spin.invariant_violations(p_stranded_grace interval DEFAULT interval '1 second',
                                          p_since timestamptz DEFAULT '-infinity')
    RETURNS TABLE (kind text, user_id text, match_id uuid, spin_id uuid, detail text)
    LANGUAGE sql STABLE
AS $$
WITH checked_matches AS MATERIALIZED (
    SELECT m.* FROM spin.matches m WHERE m.ended_at IS NULL
    UNION
    SELECT m.* FROM spin.matches m WHERE m.created_at >= p_since
), checked_spins AS MATERIALIZED (
    SELECT s.* FROM spin.spins s
     WHERE s.spin_id IN (SELECT x.spin_id FROM spin.spins x WHERE x.created_at >= p_since
                         UNION SELECT x.spin_id FROM spin.spins x WHERE x.outcome IS NULL
                         UNION SELECT c.spin_a FROM checked_matches c UNION SELECT c.spin_b FROM checked_matches c)
), seats AS (                       -- (user, spin, match) for every participant of every checked match
    SELECT m.user_a AS user_id, m.spin_a AS spin_id, m.match_id, m.pool, m.ended_at IS NULL AS active, m.created_at, m.ended_at
      FROM checked_matches m
    UNION ALL
    SELECT m.user_b, m.spin_b, m.match_id, m.pool, m.ended_at IS NULL, m.created_at, m.ended_at FROM checked_matches m
), cooldown AS (
    SELECT rematch_cooldown FROM spin.settings
)
-- 1. a user is in at most one active match
SELECT 'user_in_two_active_matches', s.user_id, min(s.match_id::text)::uuid, NULL::uuid,
       count(*) || ' active matches'
  FROM seats s WHERE s.active GROUP BY s.user_id HAVING count(*) > 1
UNION ALL
-- 1. also in the past: a user's matches never overlapped in time (created/ended use clock_timestamp)
SELECT 'overlapping_matches', o.user_id, o.match_id, NULL,
       'created while match ' || o.previous || ' was still active'
  FROM (SELECT s.user_id, s.match_id, s.created_at,
               lag(s.match_id) OVER w AS previous,
               lag(coalesce(s.ended_at, 'infinity')) OVER w AS previous_end
          FROM seats s
        WINDOW w AS (PARTITION BY s.user_id ORDER BY s.created_at, s.match_id)) o
 WHERE o.previous_end > o.created_at
UNION ALL
-- 1, 2. at most one live spin per user (waiting, or in an active match)
SELECT 'multiple_live_spins', sp.user_id, NULL, min(sp.spin_id::text)::uuid, count(*) || ' live spins'
  FROM checked_spins sp WHERE sp.live GROUP BY sp.user_id HAVING count(*) > 1
UNION ALL
-- 2. never waiting and matched at once
SELECT 'waiting_and_matched', sp.user_id, s.match_id, sp.spin_id, 'open spin while in an active match'
  FROM checked_spins sp JOIN seats s ON s.user_id = sp.user_id AND s.active WHERE sp.outcome IS NULL
UNION ALL
-- 3. never two active matches of one pair
SELECT 'pair_active_twice', m.user_a, min(m.match_id::text)::uuid, NULL, 'with ' || m.user_b
  FROM checked_matches m WHERE m.ended_at IS NULL GROUP BY m.user_a, m.user_b HAVING count(*) > 1
UNION ALL
-- 3. no rematch within the cooldown
SELECT 'rematch_within_cooldown', r.user_a, r.match_id, NULL,
       'with ' || r.user_b || ' after ' || r.gap
  FROM (SELECT m.user_a, m.user_b, m.match_id,
               m.created_at - lag(m.created_at) OVER (PARTITION BY m.user_a, m.user_b
                                                      ORDER BY m.created_at) AS gap
          FROM checked_matches m) r, cooldown c
 WHERE r.gap < c.rematch_cooldown
UNION ALL
-- 4. two distinct users
SELECT 'self_match', m.user_a, m.match_id, NULL, 'user_a >= user_b'
  FROM checked_matches m WHERE NOT (m.user_a < m.user_b)
UNION ALL
-- 4, 5. each participant's spin is theirs, of the match's pool, matched into this match, and live
-- exactly while the match is active
SELECT 'match_spins_mismatch', s.user_id, s.match_id, s.spin_id,
       CASE WHEN sp.spin_id IS NULL THEN 'its spin does not exist'
            WHEN sp.user_id <> s.user_id THEN 'its spin belongs to ' || sp.user_id
            WHEN sp.pool <> s.pool THEN 'its spin is of pool ' || sp.pool
            WHEN sp.match_id IS DISTINCT FROM s.match_id THEN 'its spin is not matched into it'
            WHEN s.active THEN 'active match, spin not live'
            ELSE 'ended match, spin still live' END
  FROM seats s LEFT JOIN checked_spins sp ON sp.spin_id = s.spin_id
 WHERE sp.spin_id IS NULL OR sp.user_id <> s.user_id OR sp.pool <> s.pool
    OR sp.match_id IS DISTINCT FROM s.match_id OR coalesce(sp.live, false) <> s.active
UNION ALL
-- 5. a matched spin is one of its match's two spins
SELECT 'spin_matched_outside_match', sp.user_id, sp.match_id, sp.spin_id,
       CASE WHEN m.match_id IS NULL THEN 'its match does not exist' ELSE 'not a spin of its match' END
  FROM checked_spins sp LEFT JOIN spin.matches m ON m.match_id = sp.match_id
 WHERE sp.outcome = 'matched' AND (m.match_id IS NULL OR sp.spin_id NOT IN (m.spin_a, m.spin_b))
UNION ALL
-- 6. no stranded users: two waiting users of one pool who may be paired, both past the grace
SELECT 'stranded', a.user_id, NULL, a.spin_id,
       'pool ' || a.pool || ': may pair with ' || min(b.user_id)
  FROM checked_spins a
  JOIN checked_spins b ON b.pool = a.pool AND b.outcome IS NULL AND b.user_id <> a.user_id
 WHERE a.outcome IS NULL
   AND a.created_at <= now() - p_stranded_grace
   AND b.created_at <= now() - p_stranded_grace
   AND NOT EXISTS (SELECT 1 FROM spin.cooling_pairs() r
                    WHERE r.user_a = least(a.user_id, b.user_id) AND r.user_b = greatest(a.user_id, b.user_id))
 GROUP BY a.user_id, a.spin_id, a.pool
$$;
