-- The seed's broken pattern, for NaiveCheckThenLockIsCaughtTest only: "check availability, then try
-- the lock, then create the match" with no re-check and no lock on the partner. Installed into that
-- test's own database, replacing the matching of apply_batch. The unique indexes that would
-- refuse the resulting double bookings are dropped there, so the bad state can commit and the
-- checker (spin.invariant_violations, unchanged) has to find it.
DROP INDEX spin.spins_one_live_per_user;
DROP INDEX spin.matches_one_active_per_pair;

CREATE OR REPLACE FUNCTION spin._pair_queue_heads(p_user_ids text[])
    RETURNS TABLE (user_id text, partner_id text, match_id uuid)
    LANGUAGE sql
AS $$ SELECT NULL::text, NULL::text, NULL::uuid WHERE false $$;

-- Every joiner goes through the naive matching below, none is paired before writing.
CREATE OR REPLACE FUNCTION spin._pair_joiners(p_joiners spin.joiner[])
    RETURNS TABLE (first_n int, second_n int)
    LANGUAGE sql
AS $$ SELECT NULL::int, NULL::int WHERE false $$;

CREATE OR REPLACE FUNCTION spin.process_matching(p_user_ids text[])
    RETURNS TABLE (user_id text, result text, match_id uuid, partner_id text)
    LANGUAGE plpgsql
AS $$
DECLARE
    v_user text;
    v_pool text;
    v_partner text;
    v_match uuid;
    v_spin uuid;
    v_partner_spin uuid;
BEGIN
    FOREACH v_user IN ARRAY p_user_ids LOOP
        user_id := v_user; match_id := NULL; partner_id := NULL;
        -- 1. check availability (no lock)
        SELECT s.pool, s.spin_id INTO v_pool, v_spin FROM spin.spins s WHERE s.user_id = v_user AND s.outcome IS NULL LIMIT 1;
        IF NOT FOUND THEN
            result := 'not_waiting'; RETURN NEXT; CONTINUE;
        END IF;
        SELECT c.user_id, c.spin_id INTO v_partner, v_partner_spin FROM spin.spins c
         WHERE c.outcome IS NULL AND c.pool = v_pool AND c.user_id <> v_user
         ORDER BY c.seq LIMIT 1;
        IF NOT FOUND THEN
            result := 'waiting'; RETURN NEXT; CONTINUE;
        END IF;
        -- 2. then try the lock; on failure skip silently (the seed's CONTINUE)
        IF NOT pg_try_advisory_xact_lock(abs(hashtext(v_user))::bigint) THEN
            CONTINUE;
        END IF;
        -- 3. create the match from what was checked, without re-checking
        v_match := gen_random_uuid();
        INSERT INTO spin.matches (match_id, pool, user_a, user_b, spin_a, spin_b, created_at, xid)
        VALUES (v_match, v_pool, least(v_user, v_partner), greatest(v_user, v_partner),
                CASE WHEN v_user < v_partner THEN v_spin ELSE v_partner_spin END,
                CASE WHEN v_user < v_partner THEN v_partner_spin ELSE v_spin END, clock_timestamp(), spin.xid());
        UPDATE spin.spins SET outcome = 'matched', match_id = v_match WHERE spin_id IN (v_spin, v_partner_spin);
        result := 'matched'; match_id := v_match; partner_id := v_partner;
        RETURN NEXT;
    END LOOP;
END
$$;
