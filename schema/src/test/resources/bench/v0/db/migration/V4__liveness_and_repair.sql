-- Liveness (the stranded-user sweep), expiry with a caller's timeout, leases for fleet-wide
-- singletons, and a state repair that covers every live inconsistency the checker knows.
-- Same lock rules as V2: everything here is L4 (try-locks, SKIP LOCKED, never waits), except
-- spin.hold_lease, which a repair transaction takes first and alone (see there).

-- Indexes the repair's per-match checks need (a match's spins; a pair's earlier matches).
CREATE INDEX spins_by_match ON spin.spins (match_id) WHERE match_id IS NOT NULL;
CREATE INDEX matches_by_pair ON spin.matches (user_a, user_b, created_at);

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
    SELECT coalesce(array_agg(x.user_id ORDER BY x.queue_seq), '{}') FROM (
        SELECT a.user_id, a.queue_seq
          FROM spin.users a
         WHERE a.state = 'waiting' AND a.waiting_since <= now() - p_grace
           AND EXISTS (SELECT 1 FROM spin.users b
                        WHERE b.state = 'waiting' AND b.pool = a.pool AND b.user_id <> a.user_id
                          AND b.waiting_since <= now() - p_grace
                          AND NOT EXISTS (SELECT 1 FROM spin.cooling_pairs() r
                                           WHERE r.user_a = least(a.user_id, b.user_id)
                                             AND r.user_b = greatest(a.user_id, b.user_id)))
         ORDER BY a.queue_seq
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

-- ---------------------------------------------------------------- expiry with a caller's timeout

-- As expire_spins(p_limit), with the timeout given by the caller (the worker setting
-- worker.spin.timeout); expire_spins(p_limit) uses settings.spin_timeout.
CREATE FUNCTION spin.expire_spins(p_limit int, p_timeout interval) RETURNS int
    LANGUAGE plpgsql
AS $$
DECLARE
    v_due record;
    v_spin spin.spins%ROWTYPE;
    v_count int := 0;
BEGIN
    IF p_timeout IS NULL OR p_timeout <= interval '0' THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = 'invalid timeout (p_timeout): must be positive';
    END IF;
    FOR v_due IN
        SELECT u.user_id, u.spin_id FROM spin.users u
         WHERE u.state = 'waiting' AND u.waiting_since < now() - p_timeout
         ORDER BY u.waiting_since LIMIT p_limit
    LOOP
        CONTINUE WHEN NOT pg_try_advisory_xact_lock(spin.lock_key(v_due.user_id));
        UPDATE spin.users SET state = 'idle', spin_id = NULL, queue_seq = NULL, waiting_since = NULL,
                              updated_at = now()
         WHERE user_id = v_due.user_id AND state = 'waiting' AND spin_id = v_due.spin_id;
        CONTINUE WHEN NOT FOUND;
        UPDATE spin.spins SET outcome = 'expired', closed_at = now()
         WHERE spin_id = v_due.spin_id RETURNING * INTO v_spin;
        PERFORM spin._emit('spin_expired', v_spin.user_id,
                           jsonb_build_object('spinId', v_spin.spin_id, 'pool', v_spin.pool), v_spin.trace_id),
                spin._decide('expired', v_spin.user_id, v_spin.spin_id, NULL, NULL, v_spin.trace_id, NULL);
        v_count := v_count + 1;
    END LOOP;
    RETURN v_count;
END
$$;

-- Spins waiting longer than settings.spin_timeout become 'expired' (outbox spin_expired).
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
-- The rest of a run (open spins, waiting users, the stranded sweep) reads only the partial indexes of
-- open spins and waiting users: its cost follows the queue, not the history, and the stranded sweep
-- of every worker already reads the same rows far more often.
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
         WHERE x.active AND (x.user_a, x.user_b) > (c.after_a, c.after_b)
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
             WHERE x.active AND (x.user_a, x.user_b) <= (c.after_a, c.after_b)
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

-- What is wrong with each of the given matches that is ACTIVE (problem NULL: nothing; inactive
-- matches are left out). The live side of the checker's kinds active_match_not_in_user_row,
-- user_in_two_active_matches, waiting_and_matched, match_members_mismatch, match_spins_mismatch,
-- spin_matched_outside_match and rematch_within_cooldown. One statement for a whole repair slice:
-- per match a few index probes (scalar subqueries, which PostgreSQL cannot turn into scans of whole
-- tables), the first failing check named; a call per match cost three times as much.
CREATE FUNCTION spin._match_problems(p_match_ids uuid[]) RETURNS TABLE (match_id uuid, problem text)
    LANGUAGE sql STABLE
AS $$
    SELECT m.match_id,
           CASE
               WHEN (SELECT count(*) FROM spin.users u WHERE u.user_id IN (m.user_a, m.user_b)
                        AND u.state = 'matched' AND u.match_id = m.match_id) <> 2
                   THEN 'a participant is not matched to it'
               WHEN (SELECT array_agg(x.user_id ORDER BY x.user_id) FROM spin.match_members x
                      WHERE x.match_id = m.match_id) IS DISTINCT FROM ARRAY[m.user_a, m.user_b]
                   THEN 'its members are not its two users'
               WHEN (SELECT count(*) <> 2 OR count(DISTINCT s.user_id) <> 2 OR bool_or(s.pool <> m.pool)
                            OR bool_or(s.user_id NOT IN (m.user_a, m.user_b))
                       FROM spin.spins s WHERE s.match_id = m.match_id)
                   THEN 'not exactly one matched spin per participant in its pool'
               WHEN (SELECT 1 FROM spin.matches p, spin.settings st
                      WHERE p.user_a = m.user_a AND p.user_b = m.user_b AND p.match_id <> m.match_id
                        AND p.created_at <= m.created_at AND p.created_at > m.created_at - st.rematch_cooldown
                      LIMIT 1) IS NOT NULL
                   THEN 'rematch within the cooldown'
           END
      FROM spin.matches m
     WHERE m.match_id = ANY (p_match_ids) AND m.active
$$;

CREATE TYPE spin.repair AS (kind text, user_id text, spin_id uuid, match_id uuid, partner_id text,
                            trace_id text, detail text);

-- Of the given matches: a broken active match is ended with reason 'repair' as any match ends
-- (spin._end_matches: both participants released, told and logged), anybody else whose row points at it
-- is released too (match_ended to each outsider of its member rows), and its member rows are corrected
-- to its two users. Locks: every involved user's advisory try-lock, then the match row (SKIP LOCKED).
CREATE FUNCTION spin._repair_broken_matches(p_match_ids uuid[]) RETURNS SETOF spin.repair
    LANGUAGE plpgsql
AS $$
DECLARE
    v_id uuid;
    m spin.matches%ROWTYPE;
    v_users text[];
    v_problem text;
    v_user text;
BEGIN
    -- Candidates: the matches _match_problems finds broken; each is re-checked under its locks.
    FOR v_id IN SELECT p.match_id FROM spin._match_problems(p_match_ids) p WHERE p.problem IS NOT NULL LOOP
        SELECT * INTO m FROM spin.matches WHERE match_id = v_id;
        v_users := ARRAY(SELECT DISTINCT x FROM unnest(ARRAY[m.user_a, m.user_b] || ARRAY(
                             SELECT mm.user_id FROM spin.match_members mm WHERE mm.match_id = v_id)) x ORDER BY x);
        CONTINUE WHEN EXISTS (SELECT 1 FROM unnest(v_users) x WHERE NOT pg_try_advisory_xact_lock(spin.lock_key(x)));
        PERFORM 1 FROM spin.matches WHERE match_id = v_id AND active FOR UPDATE SKIP LOCKED;
        CONTINUE WHEN NOT FOUND;
        v_problem := (SELECT p.problem FROM spin._match_problems(ARRAY[v_id]) p);    -- re-check under the locks
        CONTINUE WHEN v_problem IS NULL;
        UPDATE spin.users SET state = 'idle', match_id = NULL, updated_at = now()
         WHERE match_id = v_id AND user_id NOT IN (m.user_a, m.user_b);
        PERFORM spin._end_matches(ARRAY[(v_id, m.user_a, m.user_b, NULL, 'repair', m.trace_id)::spin.ending], now());
        DELETE FROM spin.match_members WHERE match_id = v_id AND user_id NOT IN (m.user_a, m.user_b);
        INSERT INTO spin.match_members (match_id, user_id, active)
        SELECT v_id, p, false FROM unnest(ARRAY[m.user_a, m.user_b]) p ON CONFLICT DO NOTHING;
        FOREACH v_user IN ARRAY v_users LOOP
            CONTINUE WHEN v_user IN (m.user_a, m.user_b);
            PERFORM spin._emit('match_ended', v_user, jsonb_build_object('matchId', v_id, 'reason', 'repair'), m.trace_id);
        END LOOP;
        RETURN NEXT ('broken_match', m.user_a, NULL, v_id, m.user_b, m.trace_id,
                     v_problem || '; ended with reason repair, released ' || array_to_string(v_users, ','))::spin.repair;
    END LOOP;
END
$$;

-- An open spin the user row does not wait on: closed as 'expired', spin_expired sent.
CREATE FUNCTION spin._repair_orphan_open_spins() RETURNS SETOF spin.repair
    LANGUAGE plpgsql
AS $$
DECLARE
    v_orphan spin.spins%ROWTYPE;
BEGIN
    FOR v_orphan IN
        SELECT sp.* FROM spin.spins sp
         WHERE sp.outcome IS NULL
           AND NOT EXISTS (SELECT 1 FROM spin.users u WHERE u.user_id = sp.user_id
                              AND u.state = 'waiting' AND u.spin_id = sp.spin_id)
    LOOP
        CONTINUE WHEN NOT pg_try_advisory_xact_lock(spin.lock_key(v_orphan.user_id));
        UPDATE spin.spins SET outcome = 'expired', closed_at = now()
         WHERE spin_id = v_orphan.spin_id AND outcome IS NULL
           AND NOT EXISTS (SELECT 1 FROM spin.users u WHERE u.user_id = v_orphan.user_id
                              AND u.state = 'waiting' AND u.spin_id = v_orphan.spin_id);
        CONTINUE WHEN NOT FOUND;
        PERFORM spin._emit('spin_expired', v_orphan.user_id,
                           jsonb_build_object('spinId', v_orphan.spin_id, 'pool', v_orphan.pool),
                           v_orphan.trace_id);
        RETURN NEXT ('orphan_open_spin', v_orphan.user_id, v_orphan.spin_id, NULL, NULL, v_orphan.trace_id,
                     'open spin the user row does not wait on; closed as expired')::spin.repair;
    END LOOP;
END
$$;

-- A waiting user row whose pool differs from its open spin's (user_state_mismatch): the spin, the
-- record of what the user asked for, wins; the user is queued again in that pool.
CREATE FUNCTION spin._repair_waiting_pools() RETURNS SETOF spin.repair
    LANGUAGE plpgsql
AS $$
DECLARE
    v record;
BEGIN
    FOR v IN
        SELECT u.user_id, u.pool AS was, sp.spin_id, sp.pool, sp.trace_id
          FROM spin.users u JOIN spin.spins sp ON sp.spin_id = u.spin_id
         WHERE u.state = 'waiting' AND u.pool IS DISTINCT FROM sp.pool
    LOOP
        CONTINUE WHEN NOT pg_try_advisory_xact_lock(spin.lock_key(v.user_id));
        UPDATE spin.users SET pool = v.pool, updated_at = now()
         WHERE user_id = v.user_id AND state = 'waiting' AND spin_id = v.spin_id AND pool IS DISTINCT FROM v.pool;
        CONTINUE WHEN NOT FOUND;
        RETURN NEXT ('user_pool_mismatch', v.user_id, v.spin_id, NULL, NULL, v.trace_id,
                     'waiting in pool ' || coalesce(v.was, '-') || ' on a spin of pool ' || v.pool
                     || '; moved to ' || v.pool)::spin.repair;
    END LOOP;
END
$$;

-- Of the given matches: an active match whose pair is not recorded for the rematch
-- cooldown is recorded now. A scalar subquery on recent_pairs' key, not NOT EXISTS: PostgreSQL may
-- turn an anti join into one hashed scan of all of recent_pairs, which is what a slice must not cost.
CREATE FUNCTION spin._repair_cooldowns(p_match_ids uuid[]) RETURNS SETOF spin.repair
    LANGUAGE plpgsql
AS $$
DECLARE
    m spin.matches%ROWTYPE;
BEGIN
    FOR m IN
        SELECT x.* FROM spin.matches x
         WHERE x.match_id = ANY (p_match_ids) AND x.active
           AND (SELECT r.matched_at >= x.created_at FROM spin.recent_pairs r
                 WHERE r.user_a = x.user_a AND r.user_b = x.user_b) IS NOT TRUE
    LOOP
        CONTINUE WHEN NOT (pg_try_advisory_xact_lock(spin.lock_key(m.user_a))
                           AND pg_try_advisory_xact_lock(spin.lock_key(m.user_b)));
        INSERT INTO spin.recent_pairs (user_a, user_b, matched_at) VALUES (m.user_a, m.user_b, m.created_at)
        ON CONFLICT (user_a, user_b) DO UPDATE SET matched_at = greatest(spin.recent_pairs.matched_at, excluded.matched_at);
        RETURN NEXT ('cooldown_not_recorded', m.user_a, NULL, m.match_id, m.user_b, m.trace_id,
                     'pair recorded for the rematch cooldown')::spin.repair;
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

-- Every repair made, one row per user affected, each also written to spin.decisions as
-- 'repair_<kind>'. Order matters: broken matches are ended before orphan spins and pools are
-- looked at, and stranded users are matched last, once everybody released is waiting or idle.

CREATE FUNCTION spin._logged(r spin.repair) RETURNS spin.repair
    LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM spin._decide('repair_' || r.kind, r.user_id, r.spin_id, r.match_id, r.partner_id, r.trace_id, r.detail);
    RETURN r;
END
$$;

-- Every repair made: one row per broken match, orphan spin, user pool, cooldown record, and per
-- stranded user matched; each also written to spin.decisions as 'repair_<kind>'. In a healthy
-- system it returns nothing. Matches are checked p_slice at a time (NULL: settings.repair_slice),
-- open spins and waiting users all at once. Order matters: broken matches are ended first, and
-- stranded users are matched last, once everybody released is waiting or idle.
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
    FOR r IN SELECT * FROM spin._repair_orphan_open_spins() LOOP RETURN NEXT spin._logged(r); END LOOP;
    FOR r IN SELECT * FROM spin._repair_waiting_pools() LOOP RETURN NEXT spin._logged(r); END LOOP;
    FOR r IN SELECT * FROM spin._repair_cooldowns(v_matches) LOOP RETURN NEXT spin._logged(r); END LOOP;
    FOR r IN SELECT * FROM spin._repair_stranded(p_stranded_grace) LOOP RETURN NEXT spin._logged(r); END LOOP;
END
$$;

CREATE FUNCTION spin.repair_kinds() RETURNS SETOF text
    LANGUAGE sql IMMUTABLE
AS $$ VALUES ('broken_match'), ('orphan_open_spin'), ('user_pool_mismatch'), ('cooldown_not_recorded'), ('stranded') $$;

-- Counts of spin.repairs(p_slice => p_slice) by kind, every kind listed (0 when healthy).
CREATE FUNCTION spin.repair_state(p_slice int DEFAULT NULL) RETURNS TABLE (kind text, repaired int)
    LANGUAGE sql
AS $$
    WITH done AS MATERIALIZED (SELECT * FROM spin.repairs(p_slice => p_slice))
    SELECT k.kind, (SELECT count(*)::int FROM done d WHERE d.kind = k.kind) FROM spin.repair_kinds() k(kind)
$$;
