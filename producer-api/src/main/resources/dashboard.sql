-- Named read queries of the live dashboard (GET /v1/dashboard/stats). Column aliases are JSON field names.
-- Tables: schema/src/main/resources/db/migration (schema "spin").

-- name: pools
SELECT COALESCE(u.pool, '-')                            AS "pool",
       count(*) FILTER (WHERE u.state = 'waiting')       AS "waiting",
       count(*) FILTER (WHERE u.state = 'matched')       AS "matched"
  FROM spin.users u
 WHERE u.state <> 'idle'
 GROUP BY 1
 ORDER BY 1;

-- name: rates
SELECT (SELECT count(*) FROM spin.matches WHERE created_at > now() - interval '5 seconds') / 5.0 AS "matchesPerSecond",
       (SELECT count(*) FROM spin.outbox)                                                      AS "outboxBacklog";

-- Spin-to-match latency of the spins matched in the last 10 s: from the event's time at the API
-- (occurred_at) to the commit of the match (closed_at). A spin waits at most the spin timeout (60 s by
-- default) before it expires, so only spins created in the last hour can qualify: that bound lets the
-- BRIN index spins_by_creation skip the rest of the history instead of scanning it every second.
-- name: latency
SELECT count(*)                                                      AS "samples",
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms))::numeric, 1)  AS "p50",
       round((percentile_cont(0.9) WITHIN GROUP (ORDER BY ms))::numeric, 1)  AS "p90",
       round((percentile_cont(0.99) WITHIN GROUP (ORDER BY ms))::numeric, 1) AS "p99"
  FROM (SELECT extract(epoch FROM s.closed_at - COALESCE(s.occurred_at, s.created_at)) * 1000 AS ms
          FROM spin.spins s
         WHERE s.outcome = 'matched' AND s.closed_at > now() - interval '10 seconds'
           AND s.created_at > now() - interval '1 hour') t;

-- Repair decisions only, through their partial index decisions_repairs (V7).
-- name: repairs
SELECT count(*) FILTER (WHERE d.at > now() - interval '1 hour') AS "lastHour",
       count(*)                                                  AS "total"
  FROM spin.decisions d
 WHERE d.kind LIKE 'repair%';

-- name: violations
SELECT v.kind AS "kind", count(*) AS "count"
  FROM spin.invariant_violations(interval '1 second') v
 GROUP BY v.kind
 ORDER BY v.kind;
