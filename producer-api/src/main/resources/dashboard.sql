-- Named read queries of the live dashboard (GET /v1/dashboard/stats). Column aliases are JSON field names.
-- Tables: schema/src/main/resources/db/migration (schema "spin"). Each reads the live state or a bounded
-- recent slice of the history (partial and BRIN indexes), never the whole history.

-- Waiting users from the queue index, matched users from the active matches (two per match).
-- name: pools
SELECT p.pool AS "pool", sum(p.waiting) AS "waiting", sum(p.matched) AS "matched"
  FROM (SELECT s.pool, count(*) AS waiting, 0 AS matched FROM spin.spins s WHERE s.outcome IS NULL GROUP BY 1
        UNION ALL
        SELECT m.pool, 0, 2 * count(*) FROM spin.matches m WHERE m.ended_at IS NULL GROUP BY 1) p
 GROUP BY 1
 ORDER BY 1;

-- name: rates
SELECT (SELECT count(*) FROM spin.matches WHERE created_at > now() - interval '5 seconds') / 5.0 AS "matchesPerSecond",
       (SELECT count(*) FROM spin.announcements((SELECT next_xid FROM spin.relay_cursor), spin.relay_horizon()))
                                                                                              AS "relayBacklog";

-- Spin-to-match latency of the matches made in the last 10 s: from each spin's event time at the API
-- (occurred_at) to the commit of its match.
-- name: latency
SELECT count(*)                                                      AS "samples",
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms))::numeric, 1)  AS "p50",
       round((percentile_cont(0.9) WITHIN GROUP (ORDER BY ms))::numeric, 1)  AS "p90",
       round((percentile_cont(0.99) WITHIN GROUP (ORDER BY ms))::numeric, 1) AS "p99"
  FROM (SELECT extract(epoch FROM m.created_at - COALESCE(s.occurred_at, s.created_at)) * 1000 AS ms
          FROM spin.matches m
          JOIN spin.spins s ON s.spin_id IN (m.spin_a, m.spin_b)
         WHERE m.created_at > now() - interval '10 seconds') t;

-- name: repairs
SELECT count(*) FILTER (WHERE r.at > now() - interval '1 hour') AS "lastHour",
       count(*)                                                  AS "total"
  FROM spin.repair_log r;

-- The live state and the last 10 minutes of history (longer than the rematch cooldown): bounded whatever the
-- history's size. spinctl check runs the whole check.
-- name: violations
SELECT v.kind AS "kind", count(*) AS "count"
  FROM spin.invariant_violations(interval '1 second', now() - interval '10 minutes') v
 GROUP BY v.kind
 ORDER BY v.kind;
