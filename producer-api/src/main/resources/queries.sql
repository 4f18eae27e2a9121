-- Named read queries of the producer-api (GET /v1/spins/{spinId}, GET /v1/users/{userId}).
-- Column aliases are the JSON field names of the reply; NULL columns are left out of it.
-- Tables: schema/src/main/resources/db/migration (schema "spin").

-- name: spin_by_id
SELECT s.spin_id                       AS "spinId",
       s.user_id                       AS "userId",
       s.pool                          AS "pool",
       COALESCE(s.outcome, 'waiting')  AS "status",
       s.created_at                    AS "createdAt",
       s.closed_at                     AS "closedAt",
       s.match_id                      AS "matchId",
       (SELECT mm.user_id FROM spin.match_members mm
         WHERE mm.match_id = s.match_id AND mm.user_id <> s.user_id) AS "partnerId",
       s.trace_id                      AS "traceId"
  FROM spin.spins s
 WHERE s.spin_id = ?;

-- name: user_by_id
SELECT u.user_id                       AS "userId",
       u.state                         AS "state",
       COALESCE(u.pool, m.pool)        AS "pool",
       u.spin_id                       AS "spinId",
       u.waiting_since                 AS "waitingSince",
       u.match_id                      AS "matchId",
       (SELECT mm.user_id FROM spin.match_members mm
         WHERE mm.match_id = u.match_id AND mm.user_id <> u.user_id) AS "partnerId",
       m.created_at                    AS "matchedAt",
       u.updated_at                    AS "updatedAt"
  FROM spin.users u
  LEFT JOIN spin.matches m ON m.match_id = u.match_id
 WHERE u.user_id = ?;
