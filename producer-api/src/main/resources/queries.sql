-- Named read queries of the producer-api (GET /v1/spins, /v1/users, /v1/matches and /v1/events).
-- Column aliases are the JSON field names of the reply; NULL columns are left out of it.
-- Tables: schema/src/main/resources/db/migration (schema "spin").

-- A matched spin closed when its match was made.
-- name: spin_by_id
SELECT s.spin_id                                   AS "spinId",
       s.user_id                                   AS "userId",
       s.pool                                      AS "pool",
       COALESCE(s.outcome, 'waiting')              AS "status",
       s.created_at                                AS "createdAt",
       COALESCE(s.closed_at, m.created_at)         AS "closedAt",
       s.match_id                                  AS "matchId",
       CASE WHEN m.user_a = s.user_id THEN m.user_b ELSE m.user_a END AS "partnerId",
       s.trace_id                                  AS "traceId"
  FROM spin.spins s
  LEFT JOIN spin.matches m ON m.match_id = s.match_id
 WHERE s.spin_id = ?;

-- A user's state is their latest spin: waiting on it, matched by it (while live), or idle since it closed
-- or its match ended. No spin at all: unknown (no row).
-- name: user_by_id
WITH latest AS (
    SELECT s.* FROM spin.spins s WHERE s.user_id = ? ORDER BY s.seq DESC LIMIT 1
)
SELECT l.user_id                                   AS "userId",
       CASE WHEN l.live IS NULL THEN 'idle' WHEN l.outcome IS NULL THEN 'waiting' ELSE 'matched' END AS "state",
       l.pool                                      AS "pool",
       CASE WHEN l.live AND l.outcome IS NULL THEN l.spin_id END    AS "spinId",
       CASE WHEN l.live AND l.outcome IS NULL THEN l.created_at END AS "waitingSince",
       CASE WHEN l.live THEN m.match_id END        AS "matchId",
       CASE WHEN l.live THEN (CASE WHEN m.user_a = l.user_id THEN m.user_b ELSE m.user_a END) END AS "partnerId",
       CASE WHEN l.live THEN m.created_at END      AS "matchedAt",
       COALESCE(m.ended_at, l.closed_at, m.created_at, l.created_at) AS "updatedAt"
  FROM latest l
  LEFT JOIN spin.matches m ON m.match_id = l.match_id;

-- A match and its end, for GET /v1/matches/{matchId}.
-- name: match_by_id
SELECT m.match_id                                  AS "matchId",
       m.pool                                      AS "pool",
       CASE WHEN m.ended_at IS NULL THEN 'active' ELSE 'ended' END AS "status",
       m.user_a                                    AS "userA",
       m.user_b                                    AS "userB",
       m.spin_a                                    AS "spinA",
       m.spin_b                                    AS "spinB",
       m.created_at                                AS "createdAt",
       m.ended_at                                  AS "endedAt",
       m.end_reason                                AS "endReason",
       m.ended_by                                  AS "endedBy",
       m.trace_id                                  AS "traceId"
  FROM spin.matches m
 WHERE m.match_id = ?;

-- An event that changed nothing (GET /v1/events/{eventId}): a no-op or a rejection, with the reason.
-- name: event_result
SELECT r.event_id                                  AS "eventId",
       r.result                                    AS "status",
       r.reason                                    AS "reason",
       r.event_type                                AS "type",
       r.user_id                                   AS "userId",
       r.spin_id                                   AS "spinId",
       r.match_id                                  AS "matchId",
       r.recorded_at                               AS "recordedAt"
  FROM spin.event_results r
 WHERE r.event_id = ?;

-- The events about one spin that changed nothing (GET /v1/spins/{spinId}), oldest first.
-- name: not_applied_to_spin
SELECT r.event_id AS "eventId", r.event_type AS "type", r.user_id AS "userId", r.result AS "status",
       r.reason AS "reason", r.recorded_at AS "recordedAt"
  FROM spin.event_results r
 WHERE r.spin_id = ?
 ORDER BY r.recorded_at, r.event_id;

-- The events about one match that changed nothing (GET /v1/matches/{matchId}), oldest first.
-- name: not_applied_to_match
SELECT r.event_id AS "eventId", r.event_type AS "type", r.user_id AS "userId", r.result AS "status",
       r.reason AS "reason", r.recorded_at AS "recordedAt"
  FROM spin.event_results r
 WHERE r.match_id = ?
 ORDER BY r.recorded_at, r.event_id;
