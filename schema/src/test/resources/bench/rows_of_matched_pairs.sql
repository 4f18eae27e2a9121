-- The floor of this schema (MatchingBenchmark, mode ROWS_ONLY): exactly the rows apply_batch writes for
-- joiners it pairs before writing them (2 users matched, 2 spins matched, the match, 2 members, the
-- recent pair, 2 match_created outbox rows, 4 decisions per pair), with every constraint, index and
-- foreign key of the schema, but no function, lock, read or check of its own. Parameters: user id
-- prefix, first pair number, pairs. Returns the pairs written.
WITH args AS (
    SELECT ?::text AS prefix, ?::bigint AS first, ?::int AS pairs
), pairs AS MATERIALIZED (
    SELECT gen_random_uuid() AS match_id, 'p' || (g % 4) AS pool, a.prefix || g || '-a' AS a, a.prefix || g || '-b' AS b,
           gen_random_uuid() AS spin_a, gen_random_uuid() AS spin_b, 't' || g AS trace
      FROM args a, generate_series(a.first, a.first + a.pairs - 1) g
), seats AS MATERIALIZED (
    SELECT match_id, pool, a AS me, b AS other, spin_a AS spin, trace FROM pairs
    UNION ALL
    SELECT match_id, pool, b, a, spin_b, trace FROM pairs
), users AS (
    INSERT INTO spin.users (user_id, state, pool, match_id, updated_at)
    SELECT me, 'matched', pool, match_id, now() FROM seats
), matches AS (
    INSERT INTO spin.matches (match_id, pool, user_a, user_b, trace_id, created_at)
    SELECT match_id, pool, a, b, trace, now() FROM pairs
), match_members AS (
    INSERT INTO spin.match_members (match_id, user_id, active) SELECT match_id, me, true FROM seats
), spins AS (
    INSERT INTO spin.spins (spin_id, user_id, pool, event_id, trace_id, created_at, outcome, closed_at, match_id)
    SELECT spin, me, pool, gen_random_uuid(), trace, now(), 'matched', now(), match_id FROM seats
), recent_pairs AS (
    INSERT INTO spin.recent_pairs (user_a, user_b, matched_at) SELECT a, b, now() FROM pairs
), outbox AS (
    INSERT INTO spin.outbox (event_id, topic, message_key, payload, headers)
    SELECT s.event_id, 'spin.matches', s.me,
           jsonb_strip_nulls(jsonb_build_object('type', 'match_created', 'v', 1, 'eventId', s.event_id,
               'userId', s.me, 'matchId', s.match_id, 'partnerId', s.other, 'pool', s.pool,
               'spinId', s.spin, 'traceId', s.trace, 'occurredAt', now())),
           jsonb_build_object('type', 'match_created', 'traceId', s.trace)
      FROM (SELECT seats.*, gen_random_uuid() AS event_id FROM seats) s
), decisions AS (
    INSERT INTO spin.decisions (kind, user_id, spin_id, match_id, partner_id, trace_id, detail)
    SELECT k.kind, s.me, s.spin, s.match_id, s.other, s.trace, s.pool
      FROM seats s, (VALUES ('queued'), ('matched')) k(kind)
)
SELECT count(*) FROM pairs
