-- History retention: finished spins, ended matches, their recent pairs and the decision log are kept
-- for settings.history_retention, then pruned in bounded rounds (spin.prune_history, run by every
-- worker on a timer). Live state is never touched: open spins, active matches with their members and
-- spins, and the recent pair of a match still inside its rematch cooldown stay whatever their age.

-- At least the rematch cooldown: a pruned match must not be one the checker still compares against.
ALTER TABLE spin.settings ADD COLUMN history_retention interval NOT NULL DEFAULT interval '7 days';
ALTER TABLE spin.settings ADD CONSTRAINT settings_retention_covers_cooldown
    CHECK (history_retention >= rematch_cooldown AND history_retention >= interval '1 hour');

-- The three history tables are written in time order, so a BRIN index (a few pages, almost free to
-- maintain) finds their old rows without a btree entry per row on the matching path. autosummarize:
-- a filled page range is summarized by autovacuum at once, so a pruning round does not read the
-- unsummarized tail of the table (every range not yet summarized is a candidate).
CREATE INDEX decisions_by_time ON spin.decisions USING brin (at) WITH (autosummarize = on);
CREATE INDEX spins_by_creation ON spin.spins USING brin (created_at) WITH (autosummarize = on);
CREATE INDEX matches_by_creation ON spin.matches USING brin (created_at) WITH (autosummarize = on);

-- Deletes old history in one bounded round and returns how many rows of each kind went: up to p_limit
-- decisions, up to p_limit spins that never matched, and up to p_limit ended matches, each with its
-- members, its two spins and its recent pair (unless a later match of the pair refreshed it), all in
-- one statement: the checker never sees a match without its spins. Old means older than p_keep
-- (settings.history_retention when NULL). Never waits: rows another pruner holds are skipped
-- (SKIP LOCKED), so every worker may run it. Call it again while a kind returns p_limit or more.
CREATE FUNCTION spin.prune_history(p_limit int DEFAULT 5000, p_keep interval DEFAULT NULL)
    RETURNS TABLE (kind text, pruned int)
    LANGUAGE plpgsql
AS $$
DECLARE
    v_settings spin.settings%ROWTYPE;
    v_before timestamptz;
    v_spins int;
    v_matches int;
    v_matched_spins int;
    v_pairs int;
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

    DELETE FROM spin.decisions d WHERE d.ctid = ANY (ARRAY(
        SELECT x.ctid FROM spin.decisions x WHERE x.at < v_before LIMIT p_limit FOR UPDATE SKIP LOCKED));
    GET DIAGNOSTICS pruned = ROW_COUNT;
    kind := 'decisions'; RETURN NEXT;

    DELETE FROM spin.spins s WHERE s.spin_id = ANY (ARRAY(
        SELECT x.spin_id FROM spin.spins x
         WHERE x.created_at < v_before AND x.closed_at < v_before AND x.match_id IS NULL
         LIMIT p_limit FOR UPDATE SKIP LOCKED));
    GET DIAGNOSTICS v_spins = ROW_COUNT;

    WITH gone AS MATERIALIZED (
        SELECT m.match_id, m.user_a, m.user_b, m.created_at FROM spin.matches m
         WHERE m.created_at < v_before AND m.ended_at < v_before
         LIMIT p_limit FOR UPDATE SKIP LOCKED
    ), spins AS (
        DELETE FROM spin.spins s USING gone g WHERE s.match_id = g.match_id
        RETURNING 1
    ), members AS (
        DELETE FROM spin.match_members mm USING gone g WHERE mm.match_id = g.match_id
    ), pairs AS (
        DELETE FROM spin.recent_pairs r USING gone g
         WHERE r.user_a = g.user_a AND r.user_b = g.user_b AND r.matched_at <= g.created_at
        RETURNING 1
    ), matches AS (
        DELETE FROM spin.matches m USING gone g WHERE m.match_id = g.match_id
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM matches), (SELECT count(*) FROM spins), (SELECT count(*) FROM pairs)
      INTO v_matches, v_matched_spins, v_pairs;
    kind := 'spins'; pruned := v_spins + v_matched_spins; RETURN NEXT;
    kind := 'matches'; pruned := v_matches; RETURN NEXT;
    kind := 'recent_pairs'; pruned := v_pairs; RETURN NEXT;
END
$$;
