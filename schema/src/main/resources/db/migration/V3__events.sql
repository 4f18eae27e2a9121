-- The event functions (join, leave, end), their batch entry point apply_batch, and the record of
-- events that were not applied. Lock rules: V2 (L3 for everything here, then L4 for matching).

-- ---------------------------------------------------------------- validation (never raises)

-- User ids and trace ids: the rules of dev.spinmatch.events.EventFields, with its words (a test runs a
-- generated corpus through both): characters a URL path segment and a query value carry unchanged, so every
-- id a write accepts can be read back through GET /v1/users/{userId}.
CREATE FUNCTION spin._id_problem(p_id text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN p_id !~ '^[A-Za-z0-9][A-Za-z0-9._~:@-]*$'
            THEN 'must be letters, digits and . _ ~ : @ -, starting with a letter or digit'
        WHEN length(p_id) > 128 THEN 'longer than 128 characters'
    END
$$;

CREATE FUNCTION spin._user_problem(p_user_id text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN p_user_id IS NULL OR p_user_id = '' THEN 'invalid userId (p_user_id): is required'
                ELSE 'invalid userId (p_user_id): ' || spin._id_problem(p_user_id) END
$$;

CREATE FUNCTION spin._pool_problem(p_pool text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN p_pool IS NULL THEN 'invalid pool (p_pool): must not be null'
        -- the same as ^[a-z0-9][a-z0-9_.-]{0,63}$, at a tenth of the cost of a bounded repetition
        WHEN p_pool !~ '^[a-z0-9][a-z0-9_.-]*$' OR length(p_pool) > 64
            THEN 'invalid pool (p_pool): must match ^[a-z0-9][a-z0-9_.-]{0,63}$'
    END
$$;

CREATE FUNCTION spin._trace_problem(p_trace_id text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT 'invalid traceId (p_trace_id): ' || spin._id_problem(p_trace_id) $$;

-- A UUID in its canonical 8-4-4-4-12 form (either case). The type's own parser checks the 32 hex digits:
-- a third of the cost of a case-insensitive regular expression, twice per event of a batch. STABLE like
-- pg_input_is_valid: an IMMUTABLE function calling it would not be inlined, and a SQL function called, not
-- inlined, starts an executor each time.
CREATE FUNCTION spin._is_uuid(p_text text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT length(p_text) = 36 AND p_text LIKE '________-____-____-____-____________' AND pg_input_is_valid(p_text, 'uuid')
$$;

-- One line "user pool trace" of spin._fields_ok; the pattern of one such line.
CREATE FUNCTION spin._fields_line(p_user_id text, p_pool text, p_trace_id text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT p_user_id || ' ' || p_pool || ' ' || coalesce(p_trace_id, 'x') $$;

CREATE FUNCTION spin._fields_pattern() RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT '^[A-Za-z0-9][A-Za-z0-9._~:@-]* [a-z0-9][a-z0-9_.-]* [A-Za-z0-9][A-Za-z0-9._~:@-]*$' $$;

-- True when a join's user id, pool and trace id (NULL allowed) are all valid: the three rules above in one
-- regular expression over the three joined by spaces (no rule allows a space), since most of a regular
-- expression's cost is its set-up per call. The set-based path of apply_batch uses it, and first on the whole
-- batch at once (spin._fields_ok_all: one call for every join of the batch, the usual case); an event it
-- refuses goes the per-event path, which names the problem.
CREATE FUNCTION spin._fields_ok(p_user_id text, p_pool text, p_trace_id text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT length(p_user_id) <= 128 AND length(p_pool) <= 64 AND coalesce(length(p_trace_id) <= 128, true)
       AND spin._fields_line(p_user_id, p_pool, p_trace_id) ~ spin._fields_pattern()
$$;

-- spin._fields_ok of every line at once, with the length limits: the lines joined by newlines (no rule allows
-- one) against the line pattern repeated from the start of the text (\A) to its end (\Z): one regular
-- expression for a whole batch.
CREATE FUNCTION spin._fields_ok_all(p_lines text[], p_max_user int, p_max_pool int, p_max_trace int) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT p_max_user <= 128 AND p_max_pool <= 64 AND coalesce(p_max_trace <= 128, true)
       AND array_position(p_lines, NULL) IS NULL   -- a missing user id or pool: its line is NULL
       AND array_to_string(p_lines, E'\n')
           ~ ('\A(?:' || substr(spin._fields_pattern(), 2, length(spin._fields_pattern()) - 2) || E'\n)*'
              || substr(spin._fields_pattern(), 2, length(spin._fields_pattern()) - 2) || '\Z')
$$;

CREATE FUNCTION spin._raise_if_rejected(p_result text, p_detail text) RETURNS text
    LANGUAGE plpgsql
AS $$
BEGIN
    IF p_result = 'rejected' THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = p_detail;
    END IF;
    RETURN p_result;
END
$$;

-- ---------------------------------------------------------------- event phase locks (L3)

CREATE FUNCTION spin._lock_for_events(p_user_ids text[]) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    -- Ascending lock key: the sorted subquery feeds the locking projection in order.
    PERFORM pg_advisory_xact_lock(k.key)
       FROM (SELECT DISTINCT spin.lock_key(u) AS key FROM unnest(p_user_ids) u
              WHERE u IS NOT NULL ORDER BY 1) k;
    -- Their active matches: the match of each user's live matched spin. (= ANY (ARRAY(...)): the ids
    -- are computed once and looked up by primary key, never by a scan of every active match.)
    PERFORM 1 FROM spin.matches m
     WHERE m.match_id = ANY (ARRAY(SELECT s.match_id FROM spin.spins s
                                    WHERE s.user_id = ANY (p_user_ids) AND s.live AND s.match_id IS NOT NULL))
       AND m.ended_at IS NULL
     ORDER BY m.match_id
       FOR UPDATE;
END
$$;

-- ---------------------------------------------------------------- internal event steps
-- Non-raising: they return ('rejected', reason) for bad input and change nothing in that case, and
-- ('noop', reason) for an event that changes nothing. Callers hold the locks of spin._lock_for_events.

CREATE TYPE spin.step AS (result text, detail text);

-- One active match to end: its spins and users, who ended it (NULL: by its id alone, or the system),
-- why, and the trace of the end.
CREATE TYPE spin.ending AS (match_id uuid, spin_a uuid, spin_b uuid, ended_by text, reason text, trace_id text);

-- Ends active matches, set-based. The caller holds each match's row lock and has checked it active
-- (L2: both participants' spins are released under it; only spins matched into it, which a repaired
-- match's may not be). The relay announces match_ended to both participants from ended_xid.
CREATE FUNCTION spin._end_matches(p_ends spin.ending[], p_at timestamptz) RETURNS void
    LANGUAGE plpgsql
AS $$
DECLARE
    v_xid bigint := spin.xid();
BEGIN
    UPDATE spin.matches m
       SET ended_at = p_at, end_reason = e.reason, ended_by = e.ended_by, end_trace_id = e.trace_id, ended_xid = v_xid
      FROM unnest(p_ends) e WHERE m.match_id = e.match_id;
    UPDATE spin.spins s SET live = NULL
     WHERE s.spin_id = ANY (ARRAY(SELECT e.spin_a FROM unnest(p_ends) e UNION ALL SELECT e.spin_b FROM unnest(p_ends) e))
       AND s.match_id = ANY (ARRAY(SELECT e.match_id FROM unnest(p_ends) e)) AND s.live;
END
$$;

-- A participant ends their active match. Ownership first, by a plain read (L3): the users of a match
-- never change, and an event naming another user's match must take no lock on it. A participant's
-- active match is already row-locked by spin._lock_for_events.
CREATE FUNCTION spin._end(p_match_id uuid, p_user_id text, p_reason text, p_trace_id text)
    RETURNS spin.step
    LANGUAGE plpgsql
AS $$
DECLARE
    v_match spin.matches%ROWTYPE;
BEGIN
    IF p_match_id IS NULL THEN
        RETURN ('rejected', 'invalid matchId (p_match_id): must not be null')::spin.step;
    END IF;
    IF p_reason IS NULL OR p_reason !~ '^[a-z0-9_.-]{1,64}$' THEN
        RETURN ('rejected', 'invalid reason (p_reason): must match ^[a-z0-9_.-]{1,64}$')::spin.step;
    END IF;
    SELECT * INTO v_match FROM spin.matches WHERE match_id = p_match_id;
    IF NOT FOUND THEN
        RETURN ('noop', 'match not found')::spin.step;
    END IF;
    IF p_user_id IS NOT NULL AND p_user_id NOT IN (v_match.user_a, v_match.user_b) THEN
        RETURN ('noop', 'not a participant')::spin.step;
    END IF;
    IF v_match.ended_at IS NOT NULL THEN
        RETURN ('noop', 'match not active')::spin.step;
    END IF;
    PERFORM spin._end_matches(ARRAY[(p_match_id, v_match.spin_a, v_match.spin_b, p_user_id, p_reason,
                                     coalesce(p_trace_id, v_match.trace_id))::spin.ending], clock_timestamp());
    RETURN ('ended', NULL)::spin.step;
END
$$;

-- 'duplicate' has no detail for a redelivery (the spin was applied by this very event) and a detail
-- when another event already applied the spin id (recorded as a no-op).
CREATE FUNCTION spin._join(p_user_id text, p_pool text, p_spin_id uuid, p_event_id uuid,
                           p_trace_id text, p_at timestamptz, p_occurred_at timestamptz)
    RETURNS spin.step
    LANGUAGE plpgsql
AS $$
DECLARE
    v_problem text := coalesce(spin._user_problem(p_user_id), spin._pool_problem(p_pool),
                               spin._trace_problem(p_trace_id));
    v_applied spin.spins%ROWTYPE;
    v_live record;
    v_result text := 'queued';
BEGIN
    IF v_problem IS NOT NULL THEN
        RETURN ('rejected', v_problem)::spin.step;
    END IF;
    IF p_spin_id IS NULL THEN
        RETURN ('rejected', 'invalid spinId (p_spin_id): must not be null')::spin.step;
    END IF;
    SELECT * INTO v_applied FROM spin.spins WHERE spin_id = p_spin_id;
    IF FOUND THEN
        IF v_applied.user_id <> p_user_id THEN
            RETURN ('rejected', 'invalid spinId (p_spin_id): spin id used by another user')::spin.step;
        END IF;
        RETURN ('duplicate', CASE WHEN v_applied.event_id IS DISTINCT FROM p_event_id AND p_event_id IS NOT NULL
                                  THEN 'spin already applied' END)::spin.step;
    END IF;
    SELECT s.spin_id, s.outcome, s.match_id INTO v_live FROM spin.spins s WHERE s.user_id = p_user_id AND s.live;
    IF FOUND AND v_live.outcome IS NULL THEN
        UPDATE spin.spins SET outcome = 'superseded', live = NULL, closed_at = p_at WHERE spin_id = v_live.spin_id;
        v_result := 'requeued';
    ELSIF FOUND THEN
        PERFORM spin._end(v_live.match_id, p_user_id, 'next', p_trace_id);
        v_result := 'next';
    END IF;
    INSERT INTO spin.spins (spin_id, user_id, pool, seq, created_at, occurred_at, event_id, trace_id)
    VALUES (p_spin_id, p_user_id, p_pool, nextval('spin.queue_seq'), p_at, p_occurred_at, p_event_id, p_trace_id);
    RETURN (v_result, NULL)::spin.step;
END
$$;

-- Cancels the user's own open spin. The UPDATE's condition names the user, so another user's spin is
-- read, never locked (L3); a no-op says why.
CREATE FUNCTION spin._leave(p_user_id text, p_spin_id uuid, p_trace_id text) RETURNS spin.step
    LANGUAGE plpgsql
AS $$
DECLARE
    v_problem text := coalesce(spin._user_problem(p_user_id), spin._trace_problem(p_trace_id));
    v_spin spin.spins%ROWTYPE;
BEGIN
    IF v_problem IS NOT NULL THEN
        RETURN ('rejected', v_problem)::spin.step;
    END IF;
    IF p_spin_id IS NULL THEN
        RETURN ('rejected', 'invalid spinId (p_spin_id): must not be null')::spin.step;
    END IF;
    UPDATE spin.spins
       SET outcome = 'cancelled', live = NULL, closed_at = now(), close_trace_id = p_trace_id, closed_xid = spin.xid()
     WHERE spin_id = p_spin_id AND user_id = p_user_id AND outcome IS NULL;
    IF FOUND THEN
        RETURN ('cancelled', NULL)::spin.step;
    END IF;
    SELECT * INTO v_spin FROM spin.spins WHERE spin_id = p_spin_id;
    RETURN ('noop', CASE WHEN NOT FOUND THEN 'spin not found'
                         WHEN v_spin.user_id <> p_user_id THEN 'not your spin'
                         ELSE 'spin already ' || v_spin.outcome END)::spin.step;
END
$$;

-- ---------------------------------------------------------------- public event functions

CREATE FUNCTION spin.join_queue(p_user_id text, p_pool text, p_spin_id uuid,
                                p_event_id uuid DEFAULT NULL, p_trace_id text DEFAULT NULL,
                                p_at timestamptz DEFAULT now())
    RETURNS text
    LANGUAGE plpgsql
AS $$
DECLARE
    v spin.step;
BEGIN
    PERFORM spin._lock_for_events(ARRAY[p_user_id]);
    v := spin._join(p_user_id, p_pool, p_spin_id, p_event_id, p_trace_id, p_at, NULL);
    RETURN spin._raise_if_rejected(v.result, v.detail);
END
$$;

CREATE FUNCTION spin.leave_queue(p_user_id text, p_spin_id uuid, p_event_id uuid DEFAULT NULL,
                                 p_trace_id text DEFAULT NULL)
    RETURNS text
    LANGUAGE plpgsql
AS $$
DECLARE
    v spin.step;
BEGIN
    PERFORM spin._lock_for_events(ARRAY[p_user_id]);
    v := spin._leave(p_user_id, p_spin_id, p_trace_id);
    RETURN spin._raise_if_rejected(v.result, v.detail);
END
$$;

CREATE FUNCTION spin.end_match(p_match_id uuid, p_user_id text DEFAULT NULL,
                               p_reason text DEFAULT 'ended', p_event_id uuid DEFAULT NULL,
                               p_trace_id text DEFAULT NULL)
    RETURNS text
    LANGUAGE plpgsql
AS $$
DECLARE
    v spin.step;
BEGIN
    IF p_user_id IS NOT NULL AND spin._user_problem(p_user_id) IS NOT NULL THEN
        RETURN spin._raise_if_rejected('rejected', spin._user_problem(p_user_id));
    END IF;
    PERFORM spin._lock_for_events(
        CASE WHEN p_user_id IS NOT NULL THEN ARRAY[p_user_id]
             ELSE ARRAY(SELECT unnest(ARRAY[m.user_a, m.user_b]) FROM spin.matches m WHERE m.match_id = p_match_id) END);
    v := spin._end(p_match_id, p_user_id, p_reason, p_trace_id);
    RETURN spin._raise_if_rejected(v.result, v.detail);
END
$$;

-- ---------------------------------------------------------------- batch entry point

CREATE TYPE spin.event_result AS (event_id uuid, user_id text, result text, detail text);

-- One request event (the JSON contract) applied; never raises for bad input.
CREATE FUNCTION spin._apply_event(p_event jsonb) RETURNS spin.event_result
    LANGUAGE plpgsql
AS $$
DECLARE
    v_type text;
    v_user text;
    v_event_id uuid;
    v_occurred timestamptz;
    v_problem text;
    v spin.step;
BEGIN
    IF jsonb_typeof(p_event) IS DISTINCT FROM 'object' THEN
        RETURN (NULL, NULL, 'rejected', 'event is not a JSON object')::spin.event_result;
    END IF;
    v_type := p_event->>'type';
    v_user := p_event->>'userId';
    IF NOT coalesce(spin._is_uuid(p_event->>'eventId'), false) THEN
        RETURN (NULL, v_user, 'rejected', 'invalid eventId: must be a UUID')::spin.event_result;
    END IF;
    v_event_id := (p_event->>'eventId')::uuid;
    IF (p_event->'v') IS DISTINCT FROM '1'::jsonb THEN
        RETURN (v_event_id, v_user, 'rejected', 'unsupported version v: expected 1')::spin.event_result;
    END IF;
    IF jsonb_typeof(p_event->'userId') IS DISTINCT FROM 'string' THEN
        RETURN (v_event_id, NULL, 'rejected', 'invalid userId (p_user_id): must be a JSON string')::spin.event_result;
    END IF;
    IF v_type IN ('join_queue', 'leave_queue') AND NOT coalesce(spin._is_uuid(p_event->>'spinId'), false) THEN
        RETURN (v_event_id, v_user, 'rejected', 'invalid spinId (p_spin_id): must be a UUID')::spin.event_result;
    END IF;
    IF p_event ? 'occurredAt' AND NOT pg_input_is_valid(p_event->>'occurredAt', 'timestamptz') THEN
        RETURN (v_event_id, v_user, 'rejected',
                'invalid occurredAt: ' || (pg_input_error_info(p_event->>'occurredAt', 'timestamptz')).message)::spin.event_result;
    END IF;
    v_occurred := (p_event->>'occurredAt')::timestamptz;
    CASE v_type
        WHEN 'join_queue' THEN
            v := spin._join(v_user, p_event->>'pool', (p_event->>'spinId')::uuid, v_event_id,
                            p_event->>'traceId', now(), v_occurred);
        WHEN 'leave_queue' THEN
            v := spin._leave(v_user, (p_event->>'spinId')::uuid, p_event->>'traceId');
        WHEN 'end_match' THEN
            IF NOT coalesce(spin._is_uuid(p_event->>'matchId'), false) THEN
                RETURN (v_event_id, v_user, 'rejected', 'invalid matchId (p_match_id): must be a UUID')::spin.event_result;
            END IF;
            v_problem := coalesce(spin._user_problem(v_user), spin._trace_problem(p_event->>'traceId'));
            v := CASE WHEN v_problem IS NOT NULL
                      THEN ('rejected', v_problem)::spin.step
                      ELSE spin._end((p_event->>'matchId')::uuid, v_user,
                                     coalesce(p_event->>'reason', 'ended'), p_event->>'traceId') END;
        ELSE
            RETURN (v_event_id, v_user, 'rejected', 'unknown event type: ' || coalesce(v_type, 'null'))::spin.event_result;
    END CASE;
    RETURN (v_event_id, v_user, v.result, v.detail)::spin.event_result;
END
$$;

-- An idle or new user's join that the event phase applies set-based (spin._join_idle_users).
CREATE TYPE spin.joiner AS (n int, user_id text, pool text, trace_id text, spin_id uuid, event_id uuid,
                            occurred_at timestamptz, queue_seq bigint);

-- Pair before writing: which of a batch's joiners (spin._join_idle_users, in batch order) pair with
-- each other at once, so they are written matched and never queued. Queue order first: a pool's
-- users already waiting are older than the batch, so as many of the pool's joiners as it has
-- waiting users are left to the matching phase (which pairs them with those queue heads); the rest
-- pair in batch order, 1st with 2nd, 3rd with 4th..., except recent partners. Reads only. The
-- caller holds every joiner's advisory lock: nobody else can pair them or make them partners meanwhile.
CREATE FUNCTION spin._pair_joiners(p_joiners spin.joiner[]) RETURNS TABLE (first_n int, second_n int)
    LANGUAGE plpgsql
AS $$
BEGIN
    RETURN QUERY
    WITH pools AS (
        SELECT j.pool, (SELECT count(*) FROM (SELECT 1 FROM spin.spins q WHERE q.outcome IS NULL AND q.pool = j.pool
                                               LIMIT cardinality(p_joiners)) h) AS waiting
          FROM (SELECT DISTINCT x.pool FROM unnest(p_joiners) x) j
    ), ranked AS (
        SELECT j.n, j.user_id, j.pool, row_number() OVER (PARTITION BY j.pool ORDER BY j.n) - 1 - p.waiting AS r
          FROM unnest(p_joiners) j JOIN pools p ON p.pool = j.pool
    )
    SELECT a.n, b.n FROM ranked a JOIN ranked b ON b.pool = a.pool AND b.r = a.r + 1
     WHERE a.r >= 0 AND a.r % 2 = 0
       AND NOT EXISTS (SELECT 1 FROM spin.cooling_pairs() c
                        WHERE c.user_a = least(a.user_id, b.user_id) AND c.user_b = greatest(a.user_id, b.user_id));
END
$$;

-- Event phase fast path: the batch's joins of users who appear once in the batch, with a new spin
-- id, who are new, idle, or matched ("next": their match ends first, spin._end_matches) while their
-- partner has no event in the batch but their own next, are applied set-based. They commute with
-- every other event of the batch: no other event reads or writes such a user, partner or match (an
-- end_match names a participant; anybody else's is a no-op in any order). When both partners press
-- next, the earlier one in the batch ends the match and the later one joins as idle, as in batch order.
-- Those spin._pair_joiners pairs are written matched at once (each spin and match written once); the
-- others are queued. One row per event it applied (its 1-based array position n; the event's result
-- is 'next' for a user whose match it ended, else 'queued'), with the match and partner of a joiner
-- it paired.
CREATE FUNCTION spin._join_idle_users(p_events jsonb)
    RETURNS TABLE (n int, event_id uuid, user_id text, next boolean, match_id uuid, partner_id text)
    LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
    v_at timestamptz := clock_timestamp();
    v_xid bigint;
    v_joiners spin.joiner[];
    v_ends spin.ending[];
BEGIN
    WITH events AS (   -- the batch's objects, their fields as text
        SELECT t.n, t.e->>'userId' AS user_id, t.e->>'pool' AS pool, t.e->>'traceId' AS trace_id,
               t.e->>'spinId' AS spin_text, t.e->>'eventId' AS event_text, t.e->>'occurredAt' AS occurred_text,
               t.e->>'type' AS type, t.e->'v' AS v, jsonb_typeof(t.e->'userId') AS user_type
          FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(e, n)
         WHERE jsonb_typeof(t.e) = 'object'
    ), repeated AS MATERIALIZED (   -- users and spin ids with more than one event in the batch
        SELECT 'user' AS what, e.user_id AS id FROM events e WHERE e.user_id IS NOT NULL
         GROUP BY e.user_id HAVING count(*) > 1
        UNION ALL
        SELECT 'spin', lower(e.spin_text) FROM events e WHERE e.spin_text IS NOT NULL
         GROUP BY lower(e.spin_text) HAVING count(*) > 1
    ), fields AS (   -- every join's user id, pool and trace id valid: one check for the whole batch
        SELECT spin._fields_ok_all(array_agg(spin._fields_line(e.user_id, e.pool, e.trace_id)), max(length(e.user_id)),
                                   max(length(e.pool)), max(length(e.trace_id))) AS all_ok
          FROM events e WHERE e.type = 'join_queue'
    ), joins AS (   -- valid joins of users and spin ids that appear once (uncorrelated NOT IN: hashed sets)
        SELECT e.n, e.user_id, e.pool, e.trace_id, e.spin_text::uuid AS spin_id, e.event_text::uuid AS event_id,
               e.occurred_text::timestamptz AS occurred_at
          FROM events e
         WHERE e.type = 'join_queue' AND e.v = '1'::jsonb AND e.user_type = 'string'
           AND ((SELECT f.all_ok FROM fields f) OR spin._fields_ok(e.user_id, e.pool, e.trace_id))
           AND spin._is_uuid(e.spin_text) AND spin._is_uuid(e.event_text)
           AND (e.occurred_text IS NULL OR pg_input_is_valid(e.occurred_text, 'timestamptz'))
           AND e.user_id NOT IN (SELECT r.id FROM repeated r WHERE r.what = 'user')
           AND lower(e.spin_text) NOT IN (SELECT r.id FROM repeated r WHERE r.what = 'spin')
    ), candidates AS MATERIALIZED (
        SELECT j.*, w.match_id AS ending, w.spin_a, w.spin_b,
               CASE WHEN w.user_a = j.user_id THEN w.user_b ELSE w.user_a END AS partner, w.trace_id AS match_trace
          FROM (SELECT j.* FROM joins j ORDER BY j.n) j
          -- a lateral join, so the rows keep batch order: the user's live spin and its active match
          LEFT JOIN LATERAL (SELECT s.spin_id AS live_spin, m.match_id, m.spin_a, m.spin_b, m.user_a, m.user_b, m.trace_id
                               FROM spin.spins s LEFT JOIN spin.matches m ON m.match_id = s.match_id AND m.ended_at IS NULL
                              WHERE s.user_id = j.user_id AND s.live) w ON true
         WHERE (w.live_spin IS NULL OR w.match_id IS NOT NULL)
           AND NOT EXISTS (SELECT 1 FROM spin.spins sp WHERE sp.spin_id = j.spin_id)
    ), simple AS MATERIALIZED (
        -- A next whose partner has an event in the batch is left to the per-event path, unless that event is
        -- the partner's own next of the same match: the match then ends once, by the earlier of the two.
        -- (Uncorrelated NOT IN / IN: hashed sets.) nextval in batch order: queue order.
        SELECT c.*, nextval('spin.queue_seq') AS queue_seq FROM candidates c
         WHERE c.ending IS NULL
            OR c.partner NOT IN (SELECT e.user_id FROM events e WHERE e.user_id IS NOT NULL)
            OR (c.partner, c.ending) IN (SELECT o.user_id, o.ending FROM candidates o)
    )
    SELECT (SELECT array_agg((s.n, s.user_id, s.pool, s.trace_id, s.spin_id, s.event_id, s.occurred_at, s.queue_seq)::spin.joiner)
              FROM simple s),
           -- each ended match once, by the earlier of its nexts
           (SELECT array_agg((f.ending, f.spin_a, f.spin_b, f.user_id, 'next', coalesce(f.trace_id, f.match_trace))::spin.ending)
              FROM (SELECT DISTINCT ON (s.ending) s.* FROM simple s WHERE s.ending IS NOT NULL ORDER BY s.ending, s.n) f)
      INTO v_joiners, v_ends;
    IF v_joiners IS NULL THEN
        RETURN;
    END IF;
    IF v_ends IS NOT NULL THEN
        PERFORM spin._end_matches(v_ends, v_at);   -- a new match of theirs starts when the old one ended
    END IF;
    v_xid := spin.xid();
    -- The match's trace id is the newer joiner's spin trace id, as in spin._pair_queue_heads.
    RETURN QUERY
    WITH pairs AS MATERIALIZED (
        SELECT gen_random_uuid() AS match_id, a.pool, a.user_id AS first, b.user_id AS second,
               a.spin_id AS first_spin, b.spin_id AS second_spin, coalesce(b.trace_id, a.trace_id) AS trace
          FROM spin._pair_joiners(v_joiners) p
          JOIN unnest(v_joiners) a ON a.n = p.first_n
          JOIN unnest(v_joiners) b ON b.n = p.second_n
    ), seats AS MATERIALIZED (
        SELECT p.match_id, p.first AS user_id, p.second AS partner_id FROM pairs p
        UNION ALL
        SELECT p.match_id, p.second, p.first FROM pairs p
    ), new_matches AS (
        INSERT INTO spin.matches (match_id, pool, user_a, user_b, spin_a, spin_b, created_at, trace_id, xid)
        SELECT p.match_id, p.pool, least(p.first, p.second), greatest(p.first, p.second),
               CASE WHEN p.first < p.second THEN p.first_spin ELSE p.second_spin END,
               CASE WHEN p.first < p.second THEN p.second_spin ELSE p.first_spin END,
               v_at, p.trace, v_xid
          FROM pairs p
    ), new_spins AS (
        INSERT INTO spin.spins (spin_id, user_id, pool, seq, created_at, occurred_at, event_id, trace_id, outcome, match_id)
        SELECT j.spin_id, j.user_id, j.pool, j.queue_seq, now(), j.occurred_at,
               j.event_id, j.trace_id, CASE WHEN s.match_id IS NOT NULL THEN 'matched' END, s.match_id
          FROM unnest(v_joiners) j LEFT JOIN seats s ON s.user_id = j.user_id
    )
    SELECT j.n, j.event_id, j.user_id, j.user_id IN (SELECT e.ended_by FROM unnest(v_ends) e), s.match_id, s.partner_id
      FROM unnest(v_joiners) j LEFT JOIN seats s ON s.user_id = j.user_id;
END
$$;

-- Records the events of a batch that were not applied (no-ops and rejections with a readable event
-- id), for GET /v1/events/{eventId}: p_unapplied holds one {"event", "result"} object each (result:
-- spin.event_result). A redelivered one is recorded once.
CREATE FUNCTION spin._record_event_results(p_unapplied jsonb) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO spin.event_results (event_id, user_id, event_type, result, reason, spin_id, match_id)
    SELECT (x->'result'->>'event_id')::uuid, x->'result'->>'user_id', x->'event'->>'type',
           CASE WHEN x->'result'->>'result' = 'rejected' THEN 'rejected' ELSE 'noop' END,
           x->'result'->>'detail',
           CASE WHEN spin._is_uuid(x->'event'->>'spinId') THEN (x->'event'->>'spinId')::uuid END,
           CASE WHEN spin._is_uuid(x->'event'->>'matchId') THEN (x->'event'->>'matchId')::uuid END
      FROM jsonb_array_elements(p_unapplied) x
     WHERE x->'result'->>'event_id' IS NOT NULL
    ON CONFLICT (event_id) DO NOTHING;
END
$$;

-- A joiner the event phase paired before writing: the match, the user and the partner.
CREATE TYPE spin.seat AS (match_id uuid, user_id text, partner_id text);

CREATE FUNCTION spin.apply_batch(p_events jsonb)
    RETURNS TABLE (event_id uuid, user_id text, result text, match_id uuid, partner_id text, detail text)
    LANGUAGE plpgsql
AS $$
DECLARE
    v_users text[];
    v_applied text[];   -- per event position: the result the set-based path gave it, NULL when it left it
    v_event_ids uuid[]; -- and its event id, parsed once
    v_paired spin.seat[] := '{}';
    j record;
    v_event jsonb;
    v_n int;
    v spin.event_result;
    v_unapplied jsonb := '[]';
BEGIN
    IF jsonb_typeof(p_events) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = 'invalid p_events: must be a JSON array of events';
    END IF;
    -- Users in order of first appearance (the order they are matched in). Any string: an invalid id is
    -- rejected with its event, and taking the lock of its key costs nothing else.
    SELECT array_agg(u ORDER BY first) INTO v_users
      FROM (SELECT e->>'userId' AS u, min(n) AS first
              FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(e, n)
             WHERE jsonb_typeof(e) = 'object' AND jsonb_typeof(e->'userId') = 'string'
             GROUP BY 1) f;
    -- Event phase (L3): all blocking locks up front, in one total order.
    PERFORM spin._lock_for_events(v_users);
    v_applied := array_fill(NULL::text, ARRAY[jsonb_array_length(p_events)]);
    v_event_ids := array_fill(NULL::uuid, ARRAY[jsonb_array_length(p_events)]);
    FOR j IN SELECT * FROM spin._join_idle_users(p_events) LOOP
        v_applied[j.n] := CASE WHEN j.next THEN 'next' ELSE 'queued' END;
        v_event_ids[j.n] := j.event_id;
        IF j.match_id IS NOT NULL THEN
            v_paired := v_paired || (j.match_id, j.user_id, j.partner_id)::spin.seat;
        END IF;
    END LOOP;
    FOR v_event, v_n IN SELECT e, n FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(e, n) ORDER BY n LOOP
        IF v_applied[v_n] IS NOT NULL THEN
            v := (v_event_ids[v_n], v_event->>'userId', v_applied[v_n], NULL)::spin.event_result;
        ELSE
            v := spin._apply_event(v_event);
            IF v.result IN ('noop', 'rejected') OR (v.result = 'duplicate' AND v.detail IS NOT NULL) THEN
                v_unapplied := v_unapplied || jsonb_build_object('event', v_event, 'result', to_jsonb(v));
            END IF;
        END IF;
        event_id := v.event_id; user_id := v.user_id; result := v.result; detail := v.detail;
        match_id := NULL; partner_id := NULL;
        RETURN NEXT;
    END LOOP;
    IF jsonb_array_length(v_unapplied) > 0 THEN
        PERFORM spin._record_event_results(v_unapplied);
    END IF;
    -- The joiners the event phase paired before writing them.
    RETURN QUERY
        SELECT NULL::uuid, s.user_id, 'matched'::text, s.match_id, s.partner_id, NULL::text FROM unnest(v_paired) s;
    -- Matching phase (L4): try-locks only, never waits. Users the event phase paired are matched (we
    -- hold their locks): only the others are looked at. First the batch fast path (pairs of queue heads),
    -- then process_matching for every one still waiting: it reports who is still waiting or contended,
    -- and matches those the fast path could not pair.
    v_users := ARRAY(SELECT x.u FROM unnest(v_users) WITH ORDINALITY AS x(u, n)
                      WHERE NOT EXISTS (SELECT 1 FROM unnest(v_paired) p WHERE p.user_id = x.u) ORDER BY x.n);
    RETURN QUERY
        SELECT NULL::uuid, h.user_id, 'matched'::text, h.match_id, h.partner_id, NULL::text
          FROM spin._pair_queue_heads(v_users) h
         WHERE h.user_id = ANY (v_users);
    -- (The batch's users cannot change state under us, we hold their locks: skip the non-waiting.)
    RETURN QUERY
        SELECT NULL::uuid, p.user_id, p.result, p.match_id, p.partner_id, NULL::text
          FROM spin.process_matching(ARRAY(
                   SELECT x.u FROM unnest(v_users) WITH ORDINALITY AS x(u, n)
                     JOIN spin.spins w ON w.user_id = x.u AND w.live AND w.outcome IS NULL ORDER BY x.n)) p
         WHERE p.result IN ('matched', 'waiting', 'contended');
END
$$;
