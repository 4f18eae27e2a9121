-- Liveness (the stranded-user sweep), expiry, leases for fleet-wide singletons, and a state repair
-- that covers every live inconsistency the checker knows. Same lock rules as V2: everything here is L4
-- (try-locks, SKIP LOCKED, never waits), except spin.hold_lease, which a repair transaction takes
-- first and alone (see there).

-- "Never two active matches of one pair" (invariant 3) as an index of its own: it follows from one
-- live spin per user, and costs one entry in a small index (active matches only) per match; the
-- repair walks the active matches through it.
CREATE UNIQUE INDEX matches_one_active_per_pair ON spin.matches (user_a, user_b) WHERE ended_at IS NULL;

-- ---------------------------------------------------------------- leases

-- A named fleet-wide role (e.g. 'repair') held by one worker until expires_at. Session-independent:
-- taken and renewed by a conditional upsert in a short transaction of its own, so it survives
-- pooled connections and a crashed holder simply lets it expire.
CREATE TABLE spin.leases (
    name         text        PRIMARY KEY,
    holder       text        NOT NULL,
    acquired_at  timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);

-- Takes the lease, or renews it when p_holder already holds it; true when p_holder holds it now.
-- Another worker's unexpired lease is refused by a plain read, without waiting: its holder's work
-- keeps the row share-locked (spin.hold_lease), and the upsert's row lock would wait for that work to
-- end. Only an expired lease (or one's own) is upserted, and that may wait: it is the takeover the
-- holder's lock fences. Two takers race on the row lock of the upsert: the second re-evaluates the
-- WHERE against the first's committed row and gets false.
CREATE FUNCTION spin.try_lease(p_name text, p_holder text, p_ttl interval) RETURNS boolean
    LANGUAGE plpgsql
AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM spin.leases
                WHERE name = p_name AND holder <> p_holder AND expires_at > clock_timestamp()) THEN
        RETURN false;
    END IF;
    INSERT INTO spin.leases AS l (name, holder, acquired_at, expires_at)
    VALUES (p_name, p_holder, clock_timestamp(), clock_timestamp() + p_ttl)
    ON CONFLICT (name) DO UPDATE
       SET holder = excluded.holder, expires_at = excluded.expires_at,
           acquired_at = CASE WHEN l.holder = excluded.holder THEN l.acquired_at ELSE excluded.acquired_at END
     WHERE l.holder = excluded.holder OR l.expires_at <= clock_timestamp();
    RETURN FOUND;
END
$$;

-- Gives the lease up (a stopping holder), so another worker takes it without waiting for the TTL.
CREATE FUNCTION spin.release_lease(p_name text, p_holder text) RETURNS boolean
    LANGUAGE sql
AS $$
    WITH released AS (DELETE FROM spin.leases WHERE name = p_name AND holder = p_holder RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM released)
$$;

-- Called first in a transaction that does the lease holder's work: true when p_holder holds an
-- unexpired lease, and then its row stays share-locked until that transaction ends. A taker's
-- upsert waits for that lock, so the work of two holders never overlaps, even when one holder's
-- work outlives its TTL (the taker then waits, and finds the lease expired only after the commit).
CREATE FUNCTION spin.hold_lease(p_name text, p_holder text) RETURNS boolean
    LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM 1 FROM spin.leases
     WHERE name = p_name AND holder = p_holder AND expires_at > clock_timestamp()
       FOR SHARE;
    RETURN FOUND;
END
$$;

-- ---------------------------------------------------------------- liveness: the stranded sweep

-- Waiting users (past p_grace) who have a pairable waiting partner (same pool, not within the
-- rematch cooldown, also past p_grace): the users invariant 6 says must not stay waiting.
CREATE FUNCTION spin._pairable_waiting(p_grace interval, p_limit int) RETURNS text[]
    LANGUAGE sql STABLE
AS $$
    SELECT coalesce(array_agg(x.user_id ORDER BY x.seq), '{}') FROM (
        SELECT a.user_id, a.seq
          FROM spin.spins a
         WHERE a.outcome IS NULL AND a.created_at <= now() - p_grace
           AND EXISTS (SELECT 1 FROM spin.spins b
                        WHERE b.outcome IS NULL AND b.pool = a.pool AND b.user_id <> a.user_id
                          AND b.created_at <= now() - p_grace
                          AND NOT EXISTS (SELECT 1 FROM spin.cooling_pairs() r
                                           WHERE r.user_a = least(a.user_id, b.user_id)
                                             AND r.user_b = greatest(a.user_id, b.user_id)))
         ORDER BY a.seq
         LIMIT p_limit) x
$$;

-- Finds waiting users who could be paired (both waiting at least p_grace) and matches them with
-- process_matching (same try-locks; never waits). One row per user found. Two users that joined in
-- two concurrent transactions may each have committed 'waiting' without seeing the other; every
-- worker runs this every few hundred milliseconds, which bounds how long such a pair waits.
-- 'contended' users are left for the next sweep (somebody else holds their lock right now).
CREATE FUNCTION spin.match_stranded(p_grace interval DEFAULT interval '0', p_limit int DEFAULT 500)
    RETURNS TABLE (user_id text, result text, match_id uuid, partner_id text)
    LANGUAGE sql
AS $$
    SELECT p.user_id, p.result, p.match_id, p.partner_id
      FROM spin.process_matching(spin._pairable_waiting(p_grace, p_limit)) p
$$;

-- ---------------------------------------------------------------- expiry

-- Spins waiting longer than p_timeout become 'expired' (the relay announces spin_expired), at most
-- p_limit per call; returns how many. Users whose lock is held elsewhere expire on a later call.
CREATE FUNCTION spin.expire_spins(p_limit int, p_timeout interval) RETURNS int
    LANGUAGE plpgsql
AS $$
DECLARE
    v_due record;
    v_count int := 0;
BEGIN
    IF p_timeout IS NULL OR p_timeout <= interval '0' THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = 'invalid timeout (p_timeout): must be positive';
    END IF;
    FOR v_due IN
        SELECT s.user_id, s.spin_id FROM spin.spins s
         WHERE s.outcome IS NULL AND s.created_at < now() - p_timeout
         ORDER BY s.created_at LIMIT p_limit
    LOOP
        CONTINUE WHEN NOT pg_try_advisory_xact_lock(spin.lock_key(v_due.user_id));
        UPDATE spin.spins SET outcome = 'expired', live = NULL, closed_at = now(), closed_xid = spin.xid()
         WHERE spin_id = v_due.spin_id AND outcome IS NULL;
        CONTINUE WHEN NOT FOUND;
        v_count := v_count + 1;
    END LOOP;
    RETURN v_count;
END
$$;

-- As expire_spins(p_limit, p_timeout) with settings.spin_timeout.
CREATE FUNCTION spin.expire_spins(p_limit int DEFAULT 1000) RETURNS int
    LANGUAGE sql
AS $$ SELECT spin.expire_spins(p_limit, (SELECT spin_timeout FROM spin.settings)) $$;

-- ---------------------------------------------------------------- repair

-- Incremental repair: a run of spin.repairs() checks a bounded slice of the active matches instead of
-- all of them. The slice walks the active matches in (user_a, user_b) order, starting after the key
-- where the previous run stopped (a cursor row in spin.repair_cursors, so whichever worker holds the
-- repair lease continues the walk) and wrapping around at the end. A run reads at most p_slice active
-- matches, whatever the number of active or ended matches; every active match is checked once per
-- cycle of ceil(active matches / slice) runs (schema/README.md, "Detection latency").
-- The rest of a run (live matched spins, the stranded sweep) reads only the partial indexes of live
-- and waiting spins: its cost follows the live users, not the history.
-- Same lock rules as V2 (L4, never waits): the cursor row is taken FOR UPDATE SKIP LOCKED (a run that
-- finds it taken by a concurrent repair skips the match walk this time), users by advisory try-locks,
-- matches SKIP LOCKED.

-- Where each walk of the repair stopped. after_a/after_b: the key of the last row checked ('' before
-- the first; user ids are never empty); wrapped_at: the last time the walk restarted at the start
-- (the time between two wraps is the real cycle time).
CREATE TABLE spin.repair_cursors (
    walk        text        PRIMARY KEY,
    after_a     text        NOT NULL DEFAULT '',
    after_b     text        NOT NULL DEFAULT '',
    wrapped_at  timestamptz
);
INSERT INTO spin.repair_cursors (walk) VALUES ('active_matches');

-- The next p_slice active matches after the cursor in (user_a, user_b) order, continued from the start
-- when the walk reaches the end; the cursor moves to the last one taken. Reads the partial unique index
-- matches_one_active_per_pair, so ended matches cost nothing. NULL when a concurrent repair holds the
-- cursor (skipped, L4).
CREATE FUNCTION spin._active_match_slice(p_slice int) RETURNS uuid[]
    LANGUAGE plpgsql
AS $$
DECLARE
    c spin.repair_cursors%ROWTYPE;
    m record;
    v_ids uuid[] := '{}';
    v_last_a text;
    v_last_b text;
    v_wrapped boolean := false;
BEGIN
    SELECT * INTO c FROM spin.repair_cursors WHERE walk = 'active_matches' FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    FOR m IN
        SELECT x.match_id, x.user_a, x.user_b FROM spin.matches x
         WHERE x.ended_at IS NULL AND (x.user_a, x.user_b) > (c.after_a, c.after_b)
         ORDER BY x.user_a, x.user_b LIMIT p_slice
    LOOP
        v_ids := v_ids || m.match_id;
        v_last_a := m.user_a;
        v_last_b := m.user_b;
    END LOOP;
    IF cardinality(v_ids) < p_slice THEN
        v_wrapped := true;
        FOR m IN
            SELECT x.match_id, x.user_a, x.user_b FROM spin.matches x
             WHERE x.ended_at IS NULL AND (x.user_a, x.user_b) <= (c.after_a, c.after_b)
             ORDER BY x.user_a, x.user_b LIMIT p_slice - cardinality(v_ids)
        LOOP
            v_ids := v_ids || m.match_id;
            v_last_a := m.user_a;
            v_last_b := m.user_b;
        END LOOP;
    END IF;
    UPDATE spin.repair_cursors
       SET after_a = coalesce(v_last_a, ''), after_b = coalesce(v_last_b, ''),
           wrapped_at = CASE WHEN v_wrapped THEN now() ELSE wrapped_at END
     WHERE walk = 'active_matches';
    RETURN v_ids;
END
$$;

-- What is wrong with each of the given matches that is ACTIVE (problem NULL: nothing; ended matches
-- are left out): the live side of the checker's kinds match_spins_mismatch and rematch_within_cooldown.
-- One statement for a whole repair slice: per match a few index probes (scalar subqueries, which
-- PostgreSQL cannot turn into scans of whole tables), the first failing check named.
CREATE FUNCTION spin._match_problems(p_match_ids uuid[]) RETURNS TABLE (match_id uuid, problem text)
    LANGUAGE sql STABLE
AS $$
    SELECT m.match_id,
           CASE
               WHEN (SELECT count(*) FROM spin.spins s
                      WHERE s.spin_id IN (m.spin_a, m.spin_b) AND s.live AND s.match_id = m.match_id AND s.pool = m.pool
                        AND s.user_id = CASE WHEN s.spin_id = m.spin_a THEN m.user_a ELSE m.user_b END) <> 2
                   THEN 'its spins are not its two users'' live spins matched into it'
               WHEN (SELECT 1 FROM spin.matches p, spin.settings st
                      WHERE p.user_a = m.user_a AND p.user_b = m.user_b AND p.match_id <> m.match_id
                        AND p.created_at <= m.created_at AND p.created_at > m.created_at - st.rematch_cooldown
                      LIMIT 1) IS NOT NULL
                   THEN 'rematch within the cooldown'
           END
      FROM spin.matches m
     WHERE m.match_id = ANY (p_match_ids) AND m.ended_at IS NULL
$$;

CREATE TYPE spin.repair AS (kind text, user_id text, spin_id uuid, match_id uuid, partner_id text,
                            trace_id text, detail text);

-- Of the given matches: a broken active match is ended with reason 'repair' as any match ends
-- (spin._end_matches: the spins matched into it are released, the relay announces match_ended to both
-- participants). Locks: both users' advisory try-locks, then the match row (SKIP LOCKED); re-checked
-- under them.
CREATE FUNCTION spin._repair_broken_matches(p_match_ids uuid[]) RETURNS SETOF spin.repair
    LANGUAGE plpgsql
AS $$
DECLARE
    v_id uuid;
    m spin.matches%ROWTYPE;
    v_problem text;
BEGIN
    FOR v_id IN SELECT p.match_id FROM spin._match_problems(p_match_ids) p WHERE p.problem IS NOT NULL LOOP
        SELECT * INTO m FROM spin.matches WHERE match_id = v_id;
        CONTINUE WHEN NOT (pg_try_advisory_xact_lock(spin.lock_key(m.user_a))
                           AND pg_try_advisory_xact_lock(spin.lock_key(m.user_b)));
        PERFORM 1 FROM spin.matches WHERE match_id = v_id AND ended_at IS NULL FOR UPDATE SKIP LOCKED;
        CONTINUE WHEN NOT FOUND;
        v_problem := (SELECT p.problem FROM spin._match_problems(ARRAY[v_id]) p);    -- re-check under the locks
        CONTINUE WHEN v_problem IS NULL;
        PERFORM spin._end_matches(ARRAY[(v_id, m.spin_a, m.spin_b, NULL, 'repair', m.trace_id)::spin.ending], now());
        RETURN NEXT ('broken_match', m.user_a, NULL, v_id, m.user_b, m.trace_id,
                     v_problem || '; ended with reason repair')::spin.repair;
    END LOOP;
END
$$;

-- A live matched spin whose match has ended, does not exist or does not name it: the user would be
-- held in no match. Released (no longer live), so the user can spin again.
CREATE FUNCTION spin._repair_orphan_live_spins() RETURNS SETOF spin.repair
    LANGUAGE plpgsql
AS $$
DECLARE
    v spin.spins%ROWTYPE;
BEGIN
    FOR v IN
        SELECT sp.* FROM spin.spins sp LEFT JOIN spin.matches m ON m.match_id = sp.match_id
         WHERE sp.live AND sp.outcome = 'matched'
           AND (m.match_id IS NULL OR m.ended_at IS NOT NULL OR sp.spin_id NOT IN (m.spin_a, m.spin_b))
    LOOP
        CONTINUE WHEN NOT pg_try_advisory_xact_lock(spin.lock_key(v.user_id));
        UPDATE spin.spins s SET live = NULL
         WHERE s.spin_id = v.spin_id AND s.live
           AND NOT EXISTS (SELECT 1 FROM spin.matches m WHERE m.match_id = s.match_id
                              AND m.ended_at IS NULL AND s.spin_id IN (m.spin_a, m.spin_b));
        CONTINUE WHEN NOT FOUND;
        RETURN NEXT ('orphan_live_spin', v.user_id, v.spin_id, v.match_id, NULL, v.trace_id,
                     'live spin of no active match; released')::spin.repair;
    END LOOP;
END
$$;

-- Stranded users (waiting past p_grace beside a pairable partner): matched now. One row per user
-- matched. The workers' sweep normally does this long before the grace; a row here is a bug report.
CREATE FUNCTION spin._repair_stranded(p_grace interval) RETURNS SETOF spin.repair
    LANGUAGE plpgsql
AS $$
DECLARE
    s record;
BEGIN
    FOR s IN SELECT * FROM spin.match_stranded(p_grace, 1000) x WHERE x.result = 'matched' LOOP
        RETURN NEXT ('stranded', s.user_id, NULL, s.match_id, s.partner_id,
                     (SELECT m.trace_id FROM spin.matches m WHERE m.match_id = s.match_id),
                     'waited past ' || p_grace || ' beside a pairable partner; matched')::spin.repair;
    END LOOP;
END
$$;

CREATE FUNCTION spin._logged(r spin.repair) RETURNS spin.repair
    LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO spin.repair_log (kind, user_id, spin_id, match_id, partner_id, trace_id, detail)
    VALUES (r.kind, r.user_id, r.spin_id, r.match_id, r.partner_id, r.trace_id, r.detail);
    RETURN r;
END
$$;

-- Every repair made: one row per broken match, orphan live spin, and per stranded user matched; each
-- also written to spin.repair_log. In a healthy system it returns nothing. Matches are checked p_slice
-- at a time (NULL: settings.repair_slice), live spins all at once. Order matters: broken matches are
-- ended first, and stranded users are matched last, once everybody released is waiting or idle.
CREATE FUNCTION spin.repairs(p_stranded_grace interval DEFAULT interval '1 second', p_slice int DEFAULT NULL)
    RETURNS SETOF spin.repair
    LANGUAGE plpgsql
AS $$
DECLARE
    r spin.repair;
    v_slice int := coalesce(p_slice, (SELECT repair_slice FROM spin.settings));
    v_matches uuid[];
BEGIN
    IF v_slice <= 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = 'invalid slice (p_slice): must be positive';
    END IF;
    v_matches := spin._active_match_slice(v_slice);
    FOR r IN SELECT * FROM spin._repair_broken_matches(v_matches) LOOP RETURN NEXT spin._logged(r); END LOOP;
    FOR r IN SELECT * FROM spin._repair_orphan_live_spins() LOOP RETURN NEXT spin._logged(r); END LOOP;
    FOR r IN SELECT * FROM spin._repair_stranded(p_stranded_grace) LOOP RETURN NEXT spin._logged(r); END LOOP;
END
$$;

CREATE FUNCTION spin.repair_kinds() RETURNS SETOF text
    LANGUAGE sql IMMUTABLE
AS $$ VALUES ('broken_match'), ('orphan_live_spin'), ('stranded') $$;

-- Counts of spin.repairs(p_slice => p_slice) by kind, every kind listed (0 when healthy).
CREATE FUNCTION spin.repair_state(p_slice int DEFAULT NULL) RETURNS TABLE (kind text, repaired int)
    LANGUAGE sql
AS $$
    WITH done AS MATERIALIZED (SELECT * FROM spin.repairs(p_slice => p_slice))
    SELECT k.kind, (SELECT count(*)::int FROM done d WHERE d.kind = k.kind) FROM spin.repair_kinds() k(kind)
$$;
