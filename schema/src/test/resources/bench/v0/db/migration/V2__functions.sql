-- The SQL surface of spinmatch. Contract and lock rules: schema/README.md.
--
-- LOCK RULES (the deadlock-freedom argument; every function below follows them)
--  L1  Every advisory lock key comes from spin.lock_key(text): one 64-bit lock space project-wide,
--      transaction-scoped only (pg_*advisory_xact_lock), never session locks.
--  L2  A user's row, and their open spin, are written only by a holder of that user's advisory lock,
--      with one exception: ending a match also sets the PARTNER idle, under the match's row lock.
--      A matched user's row is therefore written only under the row lock of their active match.
--  L3  Event phase (join/leave/end, spin._lock_for_events): first BLOCKING advisory locks on all
--      event users in ascending lock-key order, then BLOCKING row locks on all their active matches
--      in ascending match_id order, before any write. Nothing else in the event phase waits: the
--      user rows it writes are either held by itself (L2) or belong to a match whose row lock it holds.
--      The matches it creates (joiners paired before writing, spin._pair_joiners) pair two idle users
--      whose advisory locks it holds, so no other transaction can be inserting the same unique keys
--      (active pair, active membership, recent pair): those inserts do not wait either.
--  L4  Matching phase (process_matching, create_match_atomic, expire_spins, repair_state) NEVER
--      waits: advisory locks are try-locks, row locks are FOR UPDATE SKIP LOCKED.
--  Why no deadlock: a waiter in L3's first step holds only smaller advisory keys and no row locks;
--  a waiter in L3's second step holds advisory locks and smaller match locks, and waits on a holder
--  of a match lock, which is either waiting for a larger match lock or not waiting at all (L3
--  writes and L4 never wait). Each kind of wait goes up one total order, and no edge leads from the
--  match-lock step back to the advisory step (match-lock holders are past it), so no cycle exists.
--  Holders in L4 never wait, so anybody waiting on them waits a bounded time.
--  Assumption: one apply_batch (or one public event function) per transaction, called before the
--  transaction takes other locks; several public calls in one transaction should go in lock order.

CREATE FUNCTION spin.lock_key(p_key text) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT hashtextextended(p_key, 0) $$;

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
        WHEN p_pool !~ '^[a-z0-9][a-z0-9_.-]{0,63}$'
            THEN 'invalid pool (p_pool): must match ^[a-z0-9][a-z0-9_.-]{0,63}$'
    END
$$;

CREATE FUNCTION spin._trace_problem(p_trace_id text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT 'invalid traceId (p_trace_id): ' || spin._id_problem(p_trace_id) $$;

CREATE FUNCTION spin._is_uuid(p_text text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT p_text ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' $$;

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

-- ---------------------------------------------------------------- outbox and decision log

-- plpgsql, not sql: PostgreSQL re-plans a non-inlined SQL function's statements on every call.
CREATE FUNCTION spin._emit(p_type text, p_user_id text, p_fields jsonb, p_trace_id text)
    RETURNS void
    LANGUAGE plpgsql
AS $$
DECLARE
    v_id uuid := gen_random_uuid();
BEGIN
    INSERT INTO spin.outbox (event_id, topic, message_key, payload, headers)
    VALUES (v_id, 'spin.matches', p_user_id,
            jsonb_strip_nulls(jsonb_build_object('type', p_type, 'v', 1, 'eventId', v_id,
                'userId', p_user_id, 'traceId', p_trace_id, 'occurredAt', now()) || p_fields),
            jsonb_strip_nulls(jsonb_build_object('type', p_type, 'traceId', p_trace_id)));
END
$$;

CREATE FUNCTION spin._decide(p_kind text, p_user_id text, p_spin_id uuid, p_match_id uuid,
                             p_partner_id text, p_trace_id text, p_detail text)
    RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO spin.decisions (kind, user_id, spin_id, match_id, partner_id, trace_id, detail)
    VALUES (p_kind, p_user_id, p_spin_id, p_match_id, p_partner_id, p_trace_id, p_detail);
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
    PERFORM 1 FROM spin.matches m
     WHERE m.active
       AND m.match_id IN (SELECT mm.match_id FROM spin.match_members mm
                           WHERE mm.user_id = ANY (p_user_ids) AND mm.active)
     ORDER BY m.match_id
       FOR UPDATE;
END
$$;

-- ---------------------------------------------------------------- internal event steps
-- Non-raising: they return ('rejected', reason) for bad input and change nothing in that case.
-- Callers hold the locks of spin._lock_for_events for the user.

CREATE TYPE spin.step AS (result text, detail text);

-- One active match to end: its users, who ended it (NULL: by its match id alone), why, and the trace.
CREATE TYPE spin.ending AS (match_id uuid, user_a text, user_b text, ended_by text, reason text, trace_id text);

-- Ends active matches, set-based. The caller holds each match's row lock and has checked it active
-- (L2: both participants are released under it). Both users go idle, the match (and by cascade its
-- members) inactive at p_at; match_ended is announced to each participant and logged as a decision.
-- One statement per table: as one statement of data-modifying CTEs, ending one match (the per-event
-- paths) cost about twice as much (BENCHMARKS.md, "Next presses set-based"). Rows in order, a then b.
CREATE FUNCTION spin._end_matches(p_ends spin.ending[], p_at timestamptz) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE spin.users u SET state = 'idle', match_id = NULL, updated_at = now()
     WHERE u.user_id = ANY (ARRAY(SELECT e.user_a FROM unnest(p_ends) e UNION ALL SELECT e.user_b FROM unnest(p_ends) e))
       AND u.match_id = ANY (ARRAY(SELECT e.match_id FROM unnest(p_ends) e));
    UPDATE spin.matches m SET active = false, ended_at = p_at, end_reason = e.reason, ended_by = e.ended_by
      FROM unnest(p_ends) e WHERE m.match_id = e.match_id;
    INSERT INTO spin.outbox (event_id, topic, message_key, payload, headers)
    SELECT s.event_id, 'spin.matches', s.me,
           jsonb_strip_nulls(jsonb_build_object('type', 'match_ended', 'v', 1, 'eventId', s.event_id,
               'userId', s.me, 'traceId', e.trace_id, 'occurredAt', now(), 'matchId', e.match_id,
               'partnerId', s.other, 'reason', e.reason, 'endedBy', e.ended_by)),
           jsonb_strip_nulls(jsonb_build_object('type', 'match_ended', 'traceId', e.trace_id))
      FROM unnest(p_ends) e,
           LATERAL (VALUES (e.user_a, e.user_b, gen_random_uuid()), (e.user_b, e.user_a, gen_random_uuid())) s(me, other, event_id);
    INSERT INTO spin.decisions (kind, user_id, match_id, partner_id, trace_id, detail)
    SELECT 'match_ended', s.me, e.match_id, s.other, e.trace_id, e.reason
      FROM unnest(p_ends) e, LATERAL (VALUES (e.user_a, e.user_b), (e.user_b, e.user_a)) s(me, other);
END
$$;

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
    SELECT * INTO v_match FROM spin.matches WHERE match_id = p_match_id AND active FOR UPDATE;
    IF NOT FOUND THEN
        RETURN ('noop', 'match not active')::spin.step;
    END IF;
    IF p_user_id IS NOT NULL AND p_user_id NOT IN (v_match.user_a, v_match.user_b) THEN
        RETURN ('noop', 'user is not a participant of the match')::spin.step;
    END IF;
    PERFORM spin._end_matches(ARRAY[(p_match_id, v_match.user_a, v_match.user_b, p_user_id, p_reason,
                                     coalesce(p_trace_id, v_match.trace_id))::spin.ending], clock_timestamp());
    RETURN ('ended', NULL)::spin.step;
END
$$;

CREATE FUNCTION spin._join(p_user_id text, p_pool text, p_spin_id uuid, p_event_id uuid,
                           p_trace_id text, p_at timestamptz, p_occurred_at timestamptz)
    RETURNS spin.step
    LANGUAGE plpgsql
AS $$
DECLARE
    v_problem text := coalesce(spin._user_problem(p_user_id), spin._pool_problem(p_pool),
                               spin._trace_problem(p_trace_id));
    v_owner text;
    v_user spin.users%ROWTYPE;
    v_result text := 'queued';
BEGIN
    IF v_problem IS NOT NULL THEN
        RETURN ('rejected', v_problem)::spin.step;
    END IF;
    IF p_spin_id IS NULL THEN
        RETURN ('rejected', 'invalid spinId (p_spin_id): must not be null')::spin.step;
    END IF;
    SELECT user_id INTO v_owner FROM spin.spins WHERE spin_id = p_spin_id;
    IF FOUND THEN
        IF v_owner <> p_user_id THEN
            RETURN ('rejected', 'invalid spinId (p_spin_id): ' || p_spin_id || ' is already used by another user')::spin.step;
        END IF;
        RETURN ('duplicate', NULL)::spin.step;
    END IF;
    SELECT * INTO v_user FROM spin.users WHERE user_id = p_user_id;
    IF v_user.state = 'waiting' THEN
        UPDATE spin.spins SET outcome = 'superseded', closed_at = p_at WHERE spin_id = v_user.spin_id;
        PERFORM spin._decide('superseded', p_user_id, v_user.spin_id, NULL, NULL, p_trace_id,
                             'by spin ' || p_spin_id);
        v_result := 'requeued';
    ELSIF v_user.state = 'matched' THEN
        PERFORM spin._end(v_user.match_id, p_user_id, 'next', p_trace_id);
        v_result := 'next';
    END IF;
    INSERT INTO spin.spins (spin_id, user_id, pool, event_id, trace_id, occurred_at, created_at)
    VALUES (p_spin_id, p_user_id, p_pool, p_event_id, p_trace_id, p_occurred_at, p_at);
    INSERT INTO spin.users AS u (user_id, state, pool, spin_id, match_id, queue_seq, waiting_since, updated_at)
    VALUES (p_user_id, 'waiting', p_pool, p_spin_id, NULL, nextval('spin.queue_seq'), p_at, p_at)
    ON CONFLICT (user_id) DO UPDATE
       SET state = 'waiting', pool = excluded.pool, spin_id = excluded.spin_id, match_id = NULL,
           queue_seq = excluded.queue_seq, waiting_since = excluded.waiting_since,
           updated_at = excluded.updated_at;
    PERFORM spin._decide('queued', p_user_id, p_spin_id, NULL, NULL, p_trace_id, p_pool);
    RETURN (v_result, NULL)::spin.step;
END
$$;

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
    UPDATE spin.users SET state = 'idle', spin_id = NULL, queue_seq = NULL, waiting_since = NULL,
                          updated_at = now()
     WHERE user_id = p_user_id AND state = 'waiting' AND spin_id = p_spin_id;
    IF NOT FOUND THEN
        RETURN ('noop', 'spin is not open')::spin.step;
    END IF;
    UPDATE spin.spins SET outcome = 'cancelled', closed_at = now()
     WHERE spin_id = p_spin_id RETURNING * INTO v_spin;
    PERFORM spin._emit('spin_cancelled', p_user_id,
                       jsonb_build_object('spinId', p_spin_id, 'pool', v_spin.pool),
                       coalesce(p_trace_id, v_spin.trace_id)),
            spin._decide('cancelled', p_user_id, p_spin_id, NULL, NULL,
                         coalesce(p_trace_id, v_spin.trace_id), NULL);
    RETURN ('cancelled', NULL)::spin.step;
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
             ELSE ARRAY(SELECT user_id FROM spin.match_members WHERE match_id = p_match_id) END);
    v := spin._end(p_match_id, p_user_id, p_reason, p_trace_id);
    RETURN spin._raise_if_rejected(v.result, v.detail);
END
$$;

-- ---------------------------------------------------------------- the match writer

-- One participant of a new match: who, with whom, the spin it closes, and the match's trace id.
CREATE TYPE spin.seat AS (match_id uuid, pool text, user_id text, partner_id text, spin_id uuid, trace_id text);

-- Records new matches, given two seats per match (the caller has checked the pairs under both
-- users' advisory locks): insert match and members, record the pair for the cooldown, announce
-- match_created to each participant, log the decisions. Setting the users matched and closing their
-- spins is the caller's part: a queued user is updated, a joiner paired before writing is inserted so.
-- One statement per table, as in spin._end_matches.
CREATE FUNCTION spin._record_matches(p_seats spin.seat[], p_at timestamptz) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO spin.matches (match_id, pool, user_a, user_b, trace_id, created_at)
    SELECT s.match_id, s.pool, s.user_id, s.partner_id, s.trace_id, p_at FROM unnest(p_seats) s
     WHERE s.user_id < s.partner_id;
    INSERT INTO spin.match_members (match_id, user_id, active)
    SELECT s.match_id, s.user_id, true FROM unnest(p_seats) s;
    INSERT INTO spin.recent_pairs (user_a, user_b, matched_at)
    SELECT s.user_id, s.partner_id, p_at FROM unnest(p_seats) s WHERE s.user_id < s.partner_id
    ON CONFLICT ON CONSTRAINT recent_pairs_pkey DO UPDATE SET matched_at = excluded.matched_at;
    INSERT INTO spin.outbox (event_id, topic, message_key, payload, headers)
    SELECT s.event_id, 'spin.matches', s.user_id,
           jsonb_strip_nulls(jsonb_build_object('type', 'match_created', 'v', 1, 'eventId', s.event_id,
               'userId', s.user_id, 'matchId', s.match_id, 'partnerId', s.partner_id, 'pool', s.pool,
               'spinId', s.spin_id, 'traceId', s.trace_id, 'occurredAt', p_at)),
           jsonb_strip_nulls(jsonb_build_object('type', 'match_created', 'traceId', s.trace_id))
      FROM (SELECT s.*, gen_random_uuid() AS event_id FROM unnest(p_seats) s) s;
    INSERT INTO spin.decisions (at, kind, user_id, spin_id, match_id, partner_id, trace_id)
    SELECT p_at, 'matched', s.user_id, s.spin_id, s.match_id, s.partner_id, s.trace_id FROM unnest(p_seats) s;
END
$$;

-- ---------------------------------------------------------------- matching phase (L4)

-- Matches queued users, set-based: for each wanted pair (lo < hi, disjoint pairs, the caller holds
-- both users' advisory locks) row-lock both users in user-id order (SKIP LOCKED: never waits),
-- re-check both still waiting in the pool and not recent partners, record the match
-- (spin._record_matches), set both users matched and close their spins as matched. Returns the
-- pairs that were created.
CREATE FUNCTION spin._create_matches(p_lo text[], p_hi text[], p_pools text[], p_traces text[])
    RETURNS TABLE (user_a text, user_b text, match_id uuid)
    LANGUAGE plpgsql
AS $$
DECLARE
    v_at timestamptz := clock_timestamp();
    v_seats spin.seat[];
BEGIN
    WITH wanted AS (
        SELECT w.lo, w.hi, w.pool, w.trace FROM unnest(p_lo, p_hi, p_pools, p_traces) AS w(lo, hi, pool, trace)
         WHERE w.lo < w.hi
    ), locked AS MATERIALIZED (
        SELECT u.user_id, u.spin_id, u.pool FROM spin.users u
         WHERE u.user_id = ANY (p_lo || p_hi) AND u.state = 'waiting'
         ORDER BY u.user_id
           FOR NO KEY UPDATE SKIP LOCKED
    ), pairs AS MATERIALIZED (
        SELECT gen_random_uuid() AS match_id, w.lo, w.hi, w.pool, a.spin_id AS spin_lo, b.spin_id AS spin_hi,
               coalesce(w.trace, sa.trace_id) AS trace
          FROM wanted w
          JOIN locked a ON a.user_id = w.lo AND a.pool = w.pool
          JOIN locked b ON b.user_id = w.hi AND b.pool = w.pool
          JOIN spin.spins sa ON sa.spin_id = a.spin_id
         WHERE NOT EXISTS (SELECT 1 FROM spin.cooling_pairs() r WHERE r.user_a = w.lo AND r.user_b = w.hi)
    )
    SELECT array_agg(s.seat) INTO v_seats
      FROM (SELECT (p.match_id, p.pool, p.lo, p.hi, p.spin_lo, p.trace)::spin.seat AS seat FROM pairs p
            UNION ALL
            SELECT (p.match_id, p.pool, p.hi, p.lo, p.spin_hi, p.trace)::spin.seat FROM pairs p) s;
    IF v_seats IS NULL THEN
        RETURN;
    END IF;
    PERFORM spin._record_matches(v_seats, v_at);
    UPDATE spin.users u SET state = 'matched', spin_id = NULL, match_id = s.match_id, queue_seq = NULL,
                            waiting_since = NULL, updated_at = v_at
      FROM unnest(v_seats) s WHERE u.user_id = s.user_id;
    UPDATE spin.spins sp SET outcome = 'matched', closed_at = v_at, match_id = s.match_id
      FROM unnest(v_seats) s WHERE sp.spin_id = s.spin_id;
    RETURN QUERY SELECT s.user_id, s.partner_id, s.match_id FROM unnest(v_seats) s WHERE s.user_id < s.partner_id;
END
$$;

CREATE FUNCTION spin.create_match_atomic(p_user_a text, p_user_b text, p_pool text,
                                         p_trace_id text DEFAULT NULL)
    RETURNS uuid
    LANGUAGE plpgsql
AS $$
DECLARE
    v_lo text := least(p_user_a, p_user_b);
    v_hi text := greatest(p_user_a, p_user_b);
    v_match uuid;
BEGIN
    IF v_lo IS NULL OR v_lo = v_hi OR p_pool IS NULL THEN
        RETURN NULL;
    END IF;
    -- Reentrant when the caller (process_matching) already holds them; safe when called alone.
    IF NOT (pg_try_advisory_xact_lock(spin.lock_key(v_lo))
            AND pg_try_advisory_xact_lock(spin.lock_key(v_hi))) THEN
        RETURN NULL;
    END IF;
    SELECT c.match_id INTO v_match
      FROM spin._create_matches(ARRAY[v_lo], ARRAY[v_hi], ARRAY[p_pool], ARRAY[p_trace_id]) c;
    RETURN v_match;
END
$$;

-- Batch fast path of the matching phase: in each pool where the batch left users waiting, walk
-- the queue from its oldest user and keep those whose advisory lock we get (try-lock: never waits;
-- our own batch users are re-entrant; users locked elsewhere are skipped without taking anything),
-- until we hold 2 x (the batch's waiting users there) + 2 of them or have looked at 4 x + 64; then
-- pair them in queue order: 1st with 2nd, 3rd with 4th... Pairs that fail the re-check (recent
-- partners, changed) are skipped here; process_matching handles those users afterwards.
-- The match trace id is the spin trace id of the newer user of the pair (the one who found the other).
CREATE FUNCTION spin._pair_queue_heads(p_user_ids text[])
    RETURNS TABLE (user_id text, partner_id text, match_id uuid)
    LANGUAGE plpgsql
AS $$
DECLARE
    v_pool record;
    v_head record;
    v_seen int;
    v_held text[];
    v_traces_held text[];
    v_lo text[] := '{}';
    v_hi text[] := '{}';
    v_pools text[] := '{}';
    v_traces text[] := '{}';
BEGIN
    FOR v_pool IN
        SELECT u.pool, count(*)::int AS n FROM spin.users u
         WHERE u.user_id = ANY (p_user_ids) AND u.state = 'waiting' GROUP BY u.pool
    LOOP
        v_held := '{}'; v_traces_held := '{}'; v_seen := 0;
        FOR v_head IN
            SELECT q.user_id, s.trace_id FROM spin.users q JOIN spin.spins s ON s.spin_id = q.spin_id
             WHERE q.state = 'waiting' AND q.pool = v_pool.pool ORDER BY q.queue_seq
        LOOP
            v_seen := v_seen + 1;
            EXIT WHEN v_seen > 4 * v_pool.n + 64;
            CONTINUE WHEN NOT pg_try_advisory_xact_lock(spin.lock_key(v_head.user_id));
            v_held := v_held || v_head.user_id;
            v_traces_held := v_traces_held || v_head.trace_id;
            EXIT WHEN cardinality(v_held) >= 2 * v_pool.n + 2;
        END LOOP;
        FOR i IN 1 .. cardinality(v_held) / 2 LOOP
            v_lo := v_lo || least(v_held[2 * i - 1], v_held[2 * i]);
            v_hi := v_hi || greatest(v_held[2 * i - 1], v_held[2 * i]);
            v_pools := v_pools || v_pool.pool;
            v_traces := v_traces || v_traces_held[2 * i];
        END LOOP;
    END LOOP;
    IF cardinality(v_lo) = 0 THEN
        RETURN;
    END IF;
    RETURN QUERY
        WITH created AS MATERIALIZED (SELECT * FROM spin._create_matches(v_lo, v_hi, v_pools, v_traces))
        SELECT c.user_a, c.user_b, c.match_id FROM created c
        UNION ALL
        SELECT c.user_b, c.user_a, c.match_id FROM created c;
END
$$;

-- How many queue heads a user tries before reporting 'contended' (bounds the locks one user takes).
CREATE FUNCTION spin._candidate_limit() RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT 16 $$;

CREATE FUNCTION spin.process_matching(p_user_ids text[])
    RETURNS TABLE (user_id text, result text, match_id uuid, partner_id text)
    LANGUAGE plpgsql
AS $$
DECLARE
    v_user text;
    v_me record;
    v_candidate text;
    v_match uuid;
    v_new uuid[] := '{}';
    v_contended boolean;
BEGIN
    FOREACH v_user IN ARRAY coalesce(p_user_ids, '{}') LOOP
        user_id := v_user; match_id := NULL; partner_id := NULL;
        -- Lock FIRST (never a silent skip: a failed try-lock is reported as 'contended').
        IF v_user IS NULL OR NOT pg_try_advisory_xact_lock(spin.lock_key(v_user)) THEN
            result := CASE WHEN v_user IS NULL THEN 'not_waiting' ELSE 'contended' END;
            RETURN NEXT;
            CONTINUE;
        END IF;
        -- THEN re-check under the lock.
        SELECT u.state, u.pool, u.match_id, s.trace_id INTO v_me
          FROM spin.users u LEFT JOIN spin.spins s ON s.spin_id = u.spin_id
         WHERE u.user_id = v_user;
        IF v_me.state IS DISTINCT FROM 'waiting' THEN
            IF v_me.match_id = ANY (v_new) THEN   -- matched earlier in this call, as a partner
                result := 'matched';
                match_id := v_me.match_id;
                SELECT mm.user_id INTO partner_id FROM spin.match_members mm
                 WHERE mm.match_id = v_me.match_id AND mm.user_id <> v_user;
            ELSE
                result := 'not_waiting';
            END IF;
            RETURN NEXT;
            CONTINUE;
        END IF;
        v_match := NULL;
        v_contended := false;
        -- Partner: oldest waiting user of the pool, not me, not a recent partner. The try-lock
        -- comes before the row lock (FOR UPDATE SKIP LOCKED in create_match_atomic) so a failed
        -- candidate leaves no row lock behind; bounded to the first few queue heads.
        FOR v_candidate IN
            SELECT c.user_id FROM spin.users c
             WHERE c.state = 'waiting' AND c.pool = v_me.pool AND c.user_id <> v_user
               AND NOT EXISTS (SELECT 1 FROM spin.cooling_pairs() r
                                WHERE r.user_a = least(v_user, c.user_id)
                                  AND r.user_b = greatest(v_user, c.user_id))
             ORDER BY c.queue_seq
             LIMIT spin._candidate_limit()
        LOOP
            IF pg_try_advisory_xact_lock(spin.lock_key(v_candidate)) THEN
                v_match := spin.create_match_atomic(v_user, v_candidate, v_me.pool, v_me.trace_id);
                EXIT WHEN v_match IS NOT NULL;
            END IF;
            v_contended := true;   -- locked elsewhere, or changed since the snapshot: retry later
        END LOOP;
        IF v_match IS NOT NULL THEN
            v_new := v_new || v_match;
            result := 'matched'; match_id := v_match; partner_id := v_candidate;
        ELSE
            result := CASE WHEN v_contended THEN 'contended' ELSE 'waiting' END;
        END IF;
        RETURN NEXT;
    END LOOP;
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
        RETURN (v_event_id, v_user, 'rejected', 'invalid occurredAt: must be an ISO-8601 timestamp')::spin.event_result;
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
        SELECT j.pool, (SELECT count(*) FROM (SELECT 1 FROM spin.users q WHERE q.state = 'waiting' AND q.pool = j.pool
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
-- Those spin._pair_joiners pairs are written matched at once (user, spin and match each written
-- once); the others are queued. One row per event it applied (its 1-based array position n; the
-- event's result is 'next' for a user whose match it ended, else 'queued'), with the match and
-- partner of a joiner it paired.
CREATE FUNCTION spin._join_idle_users(p_events jsonb)
    RETURNS TABLE (n int, user_id text, next boolean, match_id uuid, partner_id text)
    LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
    v_at timestamptz := clock_timestamp();
    v_joiners spin.joiner[];
    v_ends spin.ending[];
    v_seats spin.seat[];
BEGIN
    WITH parsed AS (
        SELECT t.n, t.e->>'userId' AS user_id, t.e->>'pool' AS pool, t.e->>'traceId' AS trace_id,
               t.e->>'spinId' AS spin_text, t.e->>'eventId' AS event_text, t.e->>'occurredAt' AS occurred_text,
               t.e->>'type' AS type, t.e->'v' AS v, jsonb_typeof(t.e->'userId') AS user_type,
               count(*) OVER (PARTITION BY t.e->>'userId') AS user_events,
               count(*) OVER (PARTITION BY lower(t.e->>'spinId')) AS spin_events
          FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(e, n)
         WHERE jsonb_typeof(t.e) = 'object'
    ), named AS (   -- the batch's users (only an object has a userId)
        SELECT p.user_id FROM parsed p WHERE p.user_id IS NOT NULL
    ), candidates AS MATERIALIZED (
        SELECT p.n, p.user_id, p.pool, p.trace_id, p.spin_text::uuid AS spin_id, p.event_text::uuid AS event_id,
               p.occurred_text::timestamptz AS occurred_at, w.match_id AS ending, w.user_a, w.user_b,
               CASE WHEN w.user_a = p.user_id THEN w.user_b ELSE w.user_a END AS partner, w.trace_id AS match_trace
          FROM (SELECT p.* FROM parsed p
                 WHERE p.user_events = 1 AND p.spin_events = 1
                   AND p.type = 'join_queue' AND p.v = '1'::jsonb AND p.user_type = 'string'
                   AND coalesce(spin._user_problem(p.user_id), spin._pool_problem(p.pool),
                                spin._trace_problem(p.trace_id)) IS NULL
                   AND spin._is_uuid(p.spin_text) AND spin._is_uuid(p.event_text)
                   AND (p.occurred_text IS NULL OR pg_input_is_valid(p.occurred_text, 'timestamptz'))
                 ORDER BY p.n) p
          -- a lateral join, so the rows keep batch order
          LEFT JOIN LATERAL (SELECT u.state, m.match_id, m.user_a, m.user_b, m.trace_id
                               FROM spin.users u LEFT JOIN spin.matches m ON m.match_id = u.match_id AND m.active
                              WHERE u.user_id = p.user_id) w ON true
         WHERE (w.state IS NULL OR w.state = 'idle' OR w.match_id IS NOT NULL)
           AND NOT EXISTS (SELECT 1 FROM spin.spins sp WHERE sp.spin_id = p.spin_text::uuid)
    ), simple AS MATERIALIZED (
        -- A next whose partner has an event in the batch is left to the per-event path, unless that event is
        -- the partner's own next of the same match: the match then ends once, by the earlier of the two.
        -- (Uncorrelated NOT IN / IN: hashed sets.) nextval in batch order: queue order.
        SELECT c.*, nextval('spin.queue_seq') AS queue_seq FROM candidates c
         WHERE c.ending IS NULL
            OR c.partner NOT IN (SELECT d.user_id FROM named d)
            OR (c.partner, c.ending) IN (SELECT o.user_id, o.ending FROM candidates o)
    )
    SELECT array_agg((s.n, s.user_id, s.pool, s.trace_id, s.spin_id, s.event_id, s.occurred_at, s.queue_seq)::spin.joiner
                     ORDER BY s.n),
           array_agg((s.ending, s.user_a, s.user_b, s.user_id, 'next', coalesce(s.trace_id, s.match_trace))::spin.ending
                     ORDER BY s.n) FILTER (WHERE s.first_of_match)
      INTO v_joiners, v_ends
      FROM (SELECT s.*, s.ending IS NOT NULL AND row_number() OVER (PARTITION BY s.ending ORDER BY s.n) = 1 AS first_of_match
              FROM simple s) s;
    IF v_joiners IS NULL THEN
        RETURN;
    END IF;
    IF v_ends IS NOT NULL THEN
        PERFORM spin._end_matches(v_ends, v_at);   -- a new match of theirs starts when the old one ended
    END IF;
    -- The match's trace id is the newer joiner's spin trace id, as in spin._pair_queue_heads.
    WITH pairs AS MATERIALIZED (
        SELECT gen_random_uuid() AS match_id, a.pool, a.user_id AS first, b.user_id AS second,
               a.spin_id AS first_spin, b.spin_id AS second_spin, coalesce(b.trace_id, a.trace_id) AS trace
          FROM spin._pair_joiners(v_joiners) p
          JOIN unnest(v_joiners) a ON a.n = p.first_n
          JOIN unnest(v_joiners) b ON b.n = p.second_n
    )
    SELECT array_agg(s.seat) INTO v_seats
      FROM (SELECT (p.match_id, p.pool, p.first, p.second, p.first_spin, p.trace)::spin.seat AS seat FROM pairs p
            UNION ALL
            SELECT (p.match_id, p.pool, p.second, p.first, p.second_spin, p.trace)::spin.seat FROM pairs p) s;
    -- Statement order follows the immediate foreign keys: users, then matches, then spins.
    WITH joined AS (
        SELECT j.*, s.match_id AS matched FROM unnest(v_joiners) j LEFT JOIN unnest(v_seats) s ON s.user_id = j.user_id
    ), decided AS (
        INSERT INTO spin.decisions (kind, user_id, spin_id, trace_id, detail)
        SELECT 'queued', j.user_id, j.spin_id, j.trace_id, j.pool FROM joined j
    )
    INSERT INTO spin.users AS u (user_id, state, pool, spin_id, match_id, queue_seq, waiting_since, updated_at)
    SELECT j.user_id, CASE WHEN j.matched IS NULL THEN 'waiting' ELSE 'matched' END, j.pool,
           CASE WHEN j.matched IS NULL THEN j.spin_id END, j.matched,
           CASE WHEN j.matched IS NULL THEN j.queue_seq END, CASE WHEN j.matched IS NULL THEN now() END,
           CASE WHEN j.matched IS NULL THEN now() ELSE v_at END
      FROM joined j
    ON CONFLICT ON CONSTRAINT users_pkey DO UPDATE
       SET state = excluded.state, pool = excluded.pool, spin_id = excluded.spin_id, match_id = excluded.match_id,
           queue_seq = excluded.queue_seq, waiting_since = excluded.waiting_since, updated_at = excluded.updated_at;
    IF v_seats IS NOT NULL THEN
        PERFORM spin._record_matches(v_seats, v_at);
    END IF;
    INSERT INTO spin.spins (spin_id, user_id, pool, event_id, trace_id, occurred_at, created_at, outcome, closed_at, match_id)
    SELECT j.spin_id, j.user_id, j.pool, j.event_id, j.trace_id, j.occurred_at, now(),
           CASE WHEN s.match_id IS NOT NULL THEN 'matched' END, CASE WHEN s.match_id IS NOT NULL THEN v_at END, s.match_id
      FROM unnest(v_joiners) j LEFT JOIN unnest(v_seats) s ON s.user_id = j.user_id;
    RETURN QUERY SELECT j.n, j.user_id, j.user_id IN (SELECT e.ended_by FROM unnest(v_ends) e), s.match_id, s.partner_id
                   FROM unnest(v_joiners) j LEFT JOIN unnest(v_seats) s ON s.user_id = j.user_id;
END
$$;

CREATE FUNCTION spin.apply_batch(p_events jsonb)
    RETURNS TABLE (event_id uuid, user_id text, result text, match_id uuid, partner_id text, detail text)
    LANGUAGE plpgsql
AS $$
DECLARE
    v_users text[];
    v_applied int[];
    v_nexts int[];
    v_paired spin.seat[];
    v_event jsonb;
    v_n int;
    v spin.event_result;
BEGIN
    IF jsonb_typeof(p_events) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = 'invalid p_events: must be a JSON array of events';
    END IF;
    -- Users in order of first appearance (the order they are matched in).
    SELECT array_agg(u ORDER BY first) INTO v_users
      FROM (SELECT e->>'userId' AS u, min(n) AS first
              FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(e, n)
             WHERE jsonb_typeof(e) = 'object' AND jsonb_typeof(e->'userId') = 'string'
               AND spin._user_problem(e->>'userId') IS NULL
             GROUP BY 1) f;
    -- Event phase (L3): all blocking locks up front, in one total order.
    PERFORM spin._lock_for_events(v_users);
    SELECT coalesce(array_agg(j.n), '{}'), coalesce(array_agg(j.n) FILTER (WHERE j.next), '{}'),
           array_agg((j.match_id, NULL, j.user_id, j.partner_id, NULL, NULL)::spin.seat) FILTER (WHERE j.match_id IS NOT NULL)
      INTO v_applied, v_nexts, v_paired
      FROM spin._join_idle_users(p_events) j;
    FOR v_event, v_n IN SELECT e, n FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(e, n) ORDER BY n LOOP
        IF v_n = ANY (v_applied) THEN
            v := ((v_event->>'eventId')::uuid, v_event->>'userId',
                  CASE WHEN v_n = ANY (v_nexts) THEN 'next' ELSE 'queued' END, NULL)::spin.event_result;
        ELSE
            v := spin._apply_event(v_event);
        END IF;
        event_id := v.event_id; user_id := v.user_id; result := v.result; detail := v.detail;
        match_id := NULL; partner_id := NULL;
        RETURN NEXT;
    END LOOP;
    -- The joiners the event phase paired before writing them.
    RETURN QUERY
        SELECT NULL::uuid, s.user_id, 'matched'::text, s.match_id, s.partner_id, NULL::text FROM unnest(v_paired) s;
    -- Matching phase (L4): try-locks only, never waits. First the batch fast path (pairs of queue
    -- heads), then process_matching for every user of the batch: it reports who is still waiting
    -- or contended, and matches those the fast path could not pair.
    RETURN QUERY
        SELECT NULL::uuid, h.user_id, 'matched'::text, h.match_id, h.partner_id, NULL::text
          FROM spin._pair_queue_heads(v_users) h
         WHERE h.user_id = ANY (v_users);
    -- (The batch's users cannot change state under us, we hold their locks: skip the non-waiting.)
    RETURN QUERY
        SELECT NULL::uuid, p.user_id, p.result, p.match_id, p.partner_id, NULL::text
          FROM spin.process_matching(ARRAY(
                   SELECT x.u FROM unnest(v_users) WITH ORDINALITY AS x(u, n)
                     JOIN spin.users w ON w.user_id = x.u AND w.state = 'waiting' ORDER BY x.n)) p
         WHERE p.result IN ('matched', 'waiting', 'contended');
END
$$;
