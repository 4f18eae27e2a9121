-- The matching core of spinmatch: locks, the cooldown, the match writer, process_matching.
-- Contract: schema/README.md. The event functions and the batch entry point are in V3.
--
-- LOCK RULES (the deadlock-freedom argument; every function of every migration follows them)
--  L1  Every advisory lock key comes from spin.lock_key(text): one 64-bit lock space project-wide,
--      transaction-scoped only (pg_*advisory_xact_lock), never session locks.
--  L2  A user's live spin (their whole live state) is written only by a holder of that user's advisory
--      lock, with one exception: ending a match also releases the PARTNER's spin, under the match's
--      row lock. A live matched spin is therefore written only under the row lock of its match.
--  L3  Event phase (join/leave/end, spin._lock_for_events): first BLOCKING advisory locks on all
--      event users in ascending lock-key order, then BLOCKING row locks on all their active matches
--      in ascending match_id order, before any write. An event that names a spin or a match checks
--      that it is the user's own with a plain read BEFORE it takes any lock on it; a user's own
--      active match is already locked by then, so an event never locks another user's spin or match.
--      Nothing else in the event phase waits: the rows it writes are either its users' (L2) or
--      belong to a match whose row lock it holds. The matches it creates (joiners paired before
--      writing, spin._pair_joiners) pair two users whose advisory locks it holds, so no other
--      transaction can be inserting the same unique keys (live spins): those inserts do not wait.
--  L4  Matching phase (process_matching, create_match_atomic, expire_spins, repairs) NEVER waits:
--      advisory locks are try-locks, row locks are FOR UPDATE SKIP LOCKED.
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

-- The id of the calling transaction, as the relay compares it (V7): what wrote a row to announce.
CREATE FUNCTION spin.xid() RETURNS bigint
    LANGUAGE sql VOLATILE
AS $$ SELECT pg_current_xact_id()::text::bigint $$;

-- The pairs matched within the rematch cooldown (invariant 3), from the matches themselves through
-- matches_by_pair. A function PostgreSQL inlines where it is called, not a view: a view binds now()
-- when it is created, and spinctl's replay resolves now() to the replayed event time.
CREATE FUNCTION spin.cooling_pairs() RETURNS TABLE (user_a text, user_b text)
    LANGUAGE sql STABLE
AS $$
    SELECT m.user_a, m.user_b FROM spin.matches m, spin.settings st
     WHERE m.created_at > now() - st.rematch_cooldown
$$;

-- ---------------------------------------------------------------- the match writer

-- Creates matches, set-based: for each wanted pair (lo < hi, disjoint pairs, the caller holds both
-- users' advisory locks) row-locks both users' waiting spins in user-id order (SKIP LOCKED: never
-- waits), re-checks both still wait in the pool and are not recent partners, inserts the match and
-- sets both spins matched. Returns the pairs created. The match trace id is the wanted one, else the
-- spin trace id of the smaller user. The match time is read after the row locks: a partner's earlier
-- match ended in a transaction this statement's snapshot sees, so before that time (invariant 1 holds
-- over time, not only at each commit).
CREATE FUNCTION spin._create_matches(p_lo text[], p_hi text[], p_pools text[], p_traces text[])
    RETURNS TABLE (user_a text, user_b text, match_id uuid)
    LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
    v_xid bigint := spin.xid();
BEGIN
    RETURN QUERY
    WITH wanted AS (
        SELECT w.lo, w.hi, w.pool, w.trace FROM unnest(p_lo, p_hi, p_pools, p_traces) AS w(lo, hi, pool, trace)
         WHERE w.lo < w.hi
    ), locked AS MATERIALIZED (
        SELECT s.spin_id, s.user_id, s.pool, s.trace_id FROM spin.spins s
         WHERE s.user_id = ANY (p_lo || p_hi) AND s.live AND s.outcome IS NULL
         ORDER BY s.user_id
           FOR NO KEY UPDATE SKIP LOCKED
    ), pairs AS MATERIALIZED (
        SELECT gen_random_uuid() AS match_id, w.lo, w.hi, w.pool, a.spin_id AS spin_lo, b.spin_id AS spin_hi,
               coalesce(w.trace, a.trace_id) AS trace, clock_timestamp() AS at
          FROM wanted w
          JOIN locked a ON a.user_id = w.lo AND a.pool = w.pool
          JOIN locked b ON b.user_id = w.hi AND b.pool = w.pool
         WHERE NOT EXISTS (SELECT 1 FROM spin.cooling_pairs() r WHERE r.user_a = w.lo AND r.user_b = w.hi)
    ), inserted AS (
        INSERT INTO spin.matches (match_id, pool, user_a, user_b, spin_a, spin_b, created_at, trace_id, xid)
        SELECT p.match_id, p.pool, p.lo, p.hi, p.spin_lo, p.spin_hi, p.at, p.trace, v_xid FROM pairs p
    ), matched AS (
        UPDATE spin.spins s SET outcome = 'matched', match_id = x.match_id
          FROM (SELECT p.match_id, p.spin_lo AS spin_id FROM pairs p
                UNION ALL SELECT p.match_id, p.spin_hi FROM pairs p) x
         WHERE s.spin_id = x.spin_id
    )
    SELECT p.lo, p.hi, p.match_id FROM pairs p;
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

-- ---------------------------------------------------------------- matching phase (L4)

-- Batch fast path of the matching phase: in each pool where the batch left users waiting, walk
-- the queue from its oldest spin and keep the users whose advisory lock we get (try-lock: never waits;
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
        SELECT s.pool, count(*)::int AS n FROM spin.spins s
         WHERE s.user_id = ANY (p_user_ids) AND s.live AND s.outcome IS NULL GROUP BY s.pool
    LOOP
        v_held := '{}'; v_traces_held := '{}'; v_seen := 0;
        FOR v_head IN
            SELECT q.user_id, q.trace_id FROM spin.spins q
             WHERE q.outcome IS NULL AND q.pool = v_pool.pool ORDER BY q.seq
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
        -- THEN re-check under the lock: the user's live spin.
        SELECT s.pool, s.outcome, s.match_id, s.trace_id INTO v_me
          FROM spin.spins s WHERE s.user_id = v_user AND s.live;
        IF NOT FOUND OR v_me.outcome IS NOT NULL THEN
            IF v_me.match_id = ANY (v_new) THEN   -- matched earlier in this call, as a partner
                result := 'matched';
                match_id := v_me.match_id;
                SELECT CASE WHEN m.user_a = v_user THEN m.user_b ELSE m.user_a END INTO partner_id
                  FROM spin.matches m WHERE m.match_id = v_me.match_id;
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
            SELECT c.user_id FROM spin.spins c
             WHERE c.outcome IS NULL AND c.pool = v_me.pool AND c.user_id <> v_user
               AND NOT EXISTS (SELECT 1 FROM spin.cooling_pairs() r
                                WHERE r.user_a = least(v_user, c.user_id)
                                  AND r.user_b = greatest(v_user, c.user_id))
             ORDER BY c.seq
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
