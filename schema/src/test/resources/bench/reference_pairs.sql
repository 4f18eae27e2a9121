-- DESIGN.md's pgbench reference, batched (MatchingBenchmark, mode REFERENCE): per match, 2 advisory
-- locks, 1 match row and 2 member rows in two plain tables (primary keys only; reference_tables.sql).
-- It measures this machine today against the ~29,000 matches/s DESIGN.md quotes. Parameters: user id
-- prefix, first pair number, pairs. Returns the pairs written.
WITH args AS (
    SELECT ?::text AS prefix, ?::bigint AS first, ?::int AS pairs
), pairs AS MATERIALIZED (
    SELECT gen_random_uuid() AS match_id, a.prefix || g || '-a' AS a, a.prefix || g || '-b' AS b
      FROM args a, generate_series(a.first, a.first + a.pairs - 1) g
), locked AS MATERIALIZED (
    SELECT count(pg_advisory_xact_lock(hashtextextended(u, 0))) AS n
      FROM (SELECT a AS u FROM pairs UNION ALL SELECT b FROM pairs) x
), matches AS (
    INSERT INTO reference.matches (match_id, user_a, user_b, created_at)
    SELECT match_id, a, b, now() FROM pairs, locked
), members AS (
    INSERT INTO reference.members (match_id, user_id)
    SELECT match_id, a FROM pairs, locked UNION ALL SELECT match_id, b FROM pairs, locked
)
SELECT count(*) FROM pairs
