-- TEST ONLY: the seed's naive pattern (seed/spin-logic-race-conditions.md, "Current (Broken) Pattern"):
-- check availability, log the check, THEN try the lock (a failed try-lock is a silent skip), then
-- create the match from what the check saw, with no row locks and no re-check. Like the seed, it has
-- no constraint against a user in two matches, so the race can commit. Installed over the real
-- functions in a scratch database to show that a stress replay reproduces what it did.
DROP INDEX spin.members_one_active_per_user;
DROP INDEX spin.matches_one_active_per_pair;

CREATE OR REPLACE FUNCTION spin.process_matching(p_user_ids text[])
    RETURNS TABLE (user_id text, result text, match_id uuid, partner_id text)
    LANGUAGE plpgsql
AS $$
DECLARE
    v_user text;
    v_me record;
    v_partner record;
    v_match uuid;
BEGIN
    FOREACH v_user IN ARRAY coalesce(p_user_ids, '{}') LOOP
        user_id := v_user; match_id := NULL; partner_id := NULL;
        -- 1. check availability, no lock yet
        SELECT u.state, u.pool, u.spin_id INTO v_me FROM spin.users u WHERE u.user_id = v_user;
        IF v_me.state IS DISTINCT FROM 'waiting' THEN
            result := 'not_waiting'; RETURN NEXT; CONTINUE;
        END IF;
        SELECT c.user_id, c.spin_id INTO v_partner FROM spin.users c
         WHERE c.state = 'waiting' AND c.pool = v_me.pool AND c.user_id <> v_user
         ORDER BY c.queue_seq LIMIT 1;
        IF v_partner.user_id IS NULL THEN
            result := 'waiting'; RETURN NEXT; CONTINUE;
        END IF;
        -- 2. log the check (the seed's ID tracking: observability, no control)
        PERFORM spin._decide('checked', v_user, v_me.spin_id, NULL, v_partner.user_id, NULL, 'partner looked available');
        -- 3. then try the lock; failing it is a silent skip
        IF NOT pg_try_advisory_xact_lock(spin.lock_key(v_user)) THEN
            CONTINUE;
        END IF;
        -- 4. create the match from what step 1 saw
        v_match := gen_random_uuid();
        INSERT INTO spin.matches (match_id, pool, user_a, user_b, created_at)
        VALUES (v_match, v_me.pool, least(v_user, v_partner.user_id), greatest(v_user, v_partner.user_id), now());
        INSERT INTO spin.match_members (match_id, user_id, active) VALUES (v_match, v_user, true), (v_match, v_partner.user_id, true);
        UPDATE spin.users SET state = 'matched', spin_id = NULL, match_id = v_match, queue_seq = NULL, waiting_since = NULL
         WHERE spin.users.user_id IN (v_user, v_partner.user_id);
        UPDATE spin.spins SET outcome = 'matched', closed_at = now(), match_id = v_match
         WHERE spin_id IN (v_me.spin_id, v_partner.spin_id);
        INSERT INTO spin.recent_pairs (user_a, user_b, matched_at)
        VALUES (least(v_user, v_partner.user_id), greatest(v_user, v_partner.user_id), now())
        ON CONFLICT (user_a, user_b) DO UPDATE SET matched_at = excluded.matched_at;
        result := 'matched'; match_id := v_match; partner_id := v_partner.user_id;
        RETURN NEXT;
    END LOOP;
END
$$;
