-- History retention: finished spins, ended matches, no-op and rejection records and the repair log are
-- kept for settings.history_retention, then pruned in bounded rounds (spin.prune_history, run by every
-- worker on a timer). Live state is never touched (live spins, active matches), nor anything the relay
-- has not announced yet.

-- Deletes old history in one bounded round and returns how many rows of each kind went: up to p_limit
-- closed spins that never matched, up to p_limit ended matches each with its two spins (in one
-- statement: the checker never sees a match without its spins), up to p_limit event results and repair
-- log rows. Old means older than p_keep (settings.history_retention when NULL). Never waits: rows another
-- pruner holds are skipped (SKIP LOCKED), so every worker may run it. Call it again while a kind returns
-- p_limit or more.
CREATE FUNCTION spin.prune_history(p_limit int DEFAULT 5000, p_keep interval DEFAULT NULL)
    RETURNS TABLE (kind text, pruned int)
    LANGUAGE plpgsql
AS $$
DECLARE
    v_settings spin.settings%ROWTYPE;
    v_before timestamptz;
    v_announced bigint := (SELECT next_xid FROM spin.relay_cursor);
    v_spins int;
    v_matches int;
    v_matched_spins int;
BEGIN
    SELECT * INTO v_settings FROM spin.settings;
    IF p_limit IS NULL OR p_limit < 1 THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = 'invalid limit (p_limit): must be positive';
    END IF;
    IF p_keep < v_settings.rematch_cooldown THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = format('invalid retention (p_keep): %s is shorter than the rematch cooldown %s',
                             p_keep, v_settings.rematch_cooldown);
    END IF;
    v_before := now() - coalesce(p_keep, v_settings.history_retention);

    DELETE FROM spin.spins s WHERE s.spin_id = ANY (ARRAY(
        SELECT x.spin_id FROM spin.spins x
         WHERE x.created_at < v_before AND x.closed_at < v_before AND x.live IS NULL AND x.match_id IS NULL
           AND (x.closed_xid IS NULL OR x.closed_xid < v_announced)
         LIMIT p_limit FOR UPDATE SKIP LOCKED));
    GET DIAGNOSTICS v_spins = ROW_COUNT;

    WITH gone AS MATERIALIZED (
        SELECT m.match_id, m.spin_a, m.spin_b FROM spin.matches m
         WHERE m.created_at < v_before AND m.ended_at < v_before AND m.ended_xid < v_announced
         LIMIT p_limit FOR UPDATE SKIP LOCKED
    ), spins AS (
        DELETE FROM spin.spins s
         WHERE s.spin_id = ANY (ARRAY(SELECT g.spin_a FROM gone g UNION ALL SELECT g.spin_b FROM gone g))
           AND s.live IS NULL
        RETURNING 1
    ), matches AS (
        DELETE FROM spin.matches m USING gone g WHERE m.match_id = g.match_id
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM matches), (SELECT count(*) FROM spins) INTO v_matches, v_matched_spins;
    kind := 'spins'; pruned := v_spins + v_matched_spins; RETURN NEXT;
    kind := 'matches'; pruned := v_matches; RETURN NEXT;

    DELETE FROM spin.event_results r WHERE r.event_id = ANY (ARRAY(
        SELECT x.event_id FROM spin.event_results x WHERE x.recorded_at < v_before LIMIT p_limit FOR UPDATE SKIP LOCKED));
    GET DIAGNOSTICS pruned = ROW_COUNT;
    kind := 'event_results'; RETURN NEXT;

    DELETE FROM spin.repair_log r WHERE r.seq = ANY (ARRAY(
        SELECT x.seq FROM spin.repair_log x WHERE x.at < v_before LIMIT p_limit FOR UPDATE SKIP LOCKED));
    GET DIAGNOSTICS pruned = ROW_COUNT;
    kind := 'repair_log'; RETURN NEXT;
END
$$;
