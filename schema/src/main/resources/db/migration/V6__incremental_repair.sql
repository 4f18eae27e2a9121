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
-- matches SKIP LOCKED, as in V4.

-- The active matches one run checks (a database-wide default; the worker's worker.repair.slice
-- overrides it).
ALTER TABLE spin.settings ADD COLUMN repair_slice int NOT NULL DEFAULT 1000 CHECK (repair_slice > 0);

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

-- V4's whole-table versions are replaced by ones that look only at the given matches.
DROP FUNCTION spin.repair_state();
DROP FUNCTION spin.repairs(interval);
DROP FUNCTION spin._repair_cooldowns();
DROP FUNCTION spin._repair_broken_matches();
DROP FUNCTION spin._broken_match_candidates();

-- Those of the given matches that are active and look broken (one index probe per check and match);
-- each candidate is re-checked with _match_problem under its locks before anything is written. The
-- checks are scalar subqueries on purpose: PostgreSQL may turn a NOT EXISTS with only equality
-- correlations into one hashed scan of the whole users table, which is what a slice must not cost.
CREATE FUNCTION spin._broken_match_candidates(p_match_ids uuid[]) RETURNS SETOF uuid
    LANGUAGE sql STABLE
AS $$
    SELECT am.match_id FROM spin.matches am
     WHERE am.match_id = ANY (p_match_ids) AND am.active
       AND ((SELECT u.state = 'matched' AND u.match_id = am.match_id FROM spin.users u
              WHERE u.user_id = am.user_a) IS NOT TRUE
            OR (SELECT u.state = 'matched' AND u.match_id = am.match_id FROM spin.users u
                 WHERE u.user_id = am.user_b) IS NOT TRUE
            OR (SELECT array_agg(x.user_id ORDER BY x.user_id) FROM spin.match_members x
                 WHERE x.match_id = am.match_id) IS DISTINCT FROM ARRAY[am.user_a, am.user_b]
            OR (SELECT count(*) <> 2 OR count(DISTINCT s.user_id) <> 2 OR bool_or(s.pool <> am.pool)
                       OR bool_or(s.user_id NOT IN (am.user_a, am.user_b))
                  FROM spin.spins s WHERE s.match_id = am.match_id)
            OR EXISTS (SELECT 1 FROM spin.matches p
                        WHERE p.user_a = am.user_a AND p.user_b = am.user_b AND p.match_id <> am.match_id
                          AND p.created_at <= am.created_at
                          AND p.created_at > am.created_at - (SELECT rematch_cooldown FROM spin.settings)))
$$;

-- As V4's, for the given matches: a broken active match is ended with reason 'repair', everybody
-- whose row points at it is released (match_ended to each, and to both participants), and its member
-- rows are corrected to its two users. Locks: every involved user's advisory try-lock, then the match
-- row (SKIP LOCKED).
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
    FOR v_id IN SELECT spin._broken_match_candidates(p_match_ids) LOOP
        SELECT * INTO m FROM spin.matches WHERE match_id = v_id;
        v_users := ARRAY(SELECT DISTINCT x FROM unnest(ARRAY[m.user_a, m.user_b] || ARRAY(
                             SELECT mm.user_id FROM spin.match_members mm WHERE mm.match_id = v_id)) x ORDER BY x);
        CONTINUE WHEN EXISTS (SELECT 1 FROM unnest(v_users) x WHERE NOT pg_try_advisory_xact_lock(spin.lock_key(x)));
        PERFORM 1 FROM spin.matches WHERE match_id = v_id AND active FOR UPDATE SKIP LOCKED;
        CONTINUE WHEN NOT FOUND;
        v_problem := spin._match_problem(v_id);    -- re-check under the locks
        CONTINUE WHEN v_problem IS NULL;
        UPDATE spin.users SET state = 'idle', match_id = NULL, updated_at = now() WHERE match_id = v_id;
        UPDATE spin.matches SET active = false, ended_at = now(), end_reason = 'repair', ended_by = NULL
         WHERE match_id = v_id;
        DELETE FROM spin.match_members WHERE match_id = v_id AND user_id NOT IN (m.user_a, m.user_b);
        INSERT INTO spin.match_members (match_id, user_id, active)
        SELECT v_id, p, false FROM unnest(ARRAY[m.user_a, m.user_b]) p ON CONFLICT DO NOTHING;
        FOREACH v_user IN ARRAY v_users LOOP
            PERFORM spin._emit('match_ended', v_user,
                               jsonb_build_object('matchId', v_id, 'reason', 'repair', 'partnerId',
                                   CASE v_user WHEN m.user_a THEN m.user_b WHEN m.user_b THEN m.user_a END),
                               m.trace_id);
        END LOOP;
        RETURN NEXT ('broken_match', m.user_a, NULL, v_id, m.user_b, m.trace_id,
                     v_problem || '; ended with reason repair, released ' || array_to_string(v_users, ','))::spin.repair;
    END LOOP;
END
$$;

-- As V4's, for the given matches: an active match whose pair is not recorded for the rematch
-- cooldown is recorded now. A scalar subquery on recent_pairs' key, not NOT EXISTS, for the same
-- reason as above (an anti join may hash all of recent_pairs).
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

-- Counts of spin.repairs(p_slice => p_slice) by kind, every kind listed (0 when healthy).
CREATE FUNCTION spin.repair_state(p_slice int DEFAULT NULL) RETURNS TABLE (kind text, repaired int)
    LANGUAGE sql
AS $$
    WITH done AS MATERIALIZED (SELECT * FROM spin.repairs(p_slice => p_slice))
    SELECT k.kind, (SELECT count(*)::int FROM done d WHERE d.kind = k.kind) FROM spin.repair_kinds() k(kind)
$$;
