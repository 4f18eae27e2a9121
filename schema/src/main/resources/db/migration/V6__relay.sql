-- Relay: what is announced on spin.matches, read from the rows that record it, by the id of the
-- transaction that wrote it. A match is announced from its own row (xid: match_created to both users;
-- ended_xid: match_ended to both), a cancelled or expired spin from its own row (closed_xid), so the
-- matching path writes no outbox row and deletes none.
--
-- Exactly which rows: every transaction with an id below the horizon pg_snapshot_xmin(pg_current_snapshot())
-- has ended, so the rows it wrote are all visible now and no more will appear. The relay publishes the
-- announcements of the transactions in [cursor, horizon) and moves the cursor to the horizon in the
-- transaction that holds the cursor row, after Kafka acknowledged every record: a crash before that
-- commit publishes them again (at least once; their event ids are derived from the row, so consumers
-- deduplicate), and nothing is skipped. One relay at a time holds the cursor (FOR UPDATE SKIP LOCKED);
-- the others skip the round. A long-running writing transaction holds the horizon back: announcements
-- wait for it (relay lag), they are never lost.

CREATE TABLE spin.relay_cursor (
    singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    next_xid    bigint      NOT NULL DEFAULT 0,     -- transactions below it are announced
    moved_at    timestamptz
);
INSERT INTO spin.relay_cursor DEFAULT VALUES;

-- Every transaction with a smaller id has ended. Call it before the transaction writes anything (its own
-- id would hold the horizon back).
CREATE FUNCTION spin.relay_horizon() RETURNS bigint
    LANGUAGE sql VOLATILE
AS $$ SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint $$;

-- The records to publish for transactions with ids in [p_from, p_to), in the order to publish them:
-- by transaction, then by time, a match_ended before the match_created of the same instant (a "next"
-- ends the old match when the new one starts). One row per record: a match is announced to each user.
CREATE FUNCTION spin.announcements(p_from bigint, p_to bigint)
    RETURNS TABLE (xid bigint, at timestamptz, type text, user_id text, partner_id text, match_id uuid,
                   spin_id uuid, pool text, reason text, ended_by text, trace_id text)
    LANGUAGE sql STABLE
AS $$
    SELECT a.xid, a.at, a.type, a.user_id, a.partner_id, a.match_id, a.spin_id, a.pool, a.reason, a.ended_by, a.trace_id
      FROM (SELECT m.xid, m.created_at AS at, 1 AS ord, 'match_created' AS type, s.me AS user_id, s.other AS partner_id,
                   m.match_id, s.spin AS spin_id, m.pool, NULL::text AS reason, NULL::text AS ended_by, m.trace_id
              FROM spin.matches m,
                   LATERAL (VALUES (m.user_a, m.user_b, m.spin_a), (m.user_b, m.user_a, m.spin_b)) s(me, other, spin)
             WHERE m.xid >= p_from AND m.xid < p_to
            UNION ALL
            SELECT m.ended_xid, m.ended_at, 0, 'match_ended', s.me, s.other, m.match_id, NULL, m.pool,
                   m.end_reason, m.ended_by, coalesce(m.end_trace_id, m.trace_id)
              FROM spin.matches m, LATERAL (VALUES (m.user_a, m.user_b), (m.user_b, m.user_a)) s(me, other)
             WHERE m.ended_xid >= p_from AND m.ended_xid < p_to
            UNION ALL
            SELECT s.closed_xid, s.closed_at, 2, 'spin_' || s.outcome, s.user_id, NULL, NULL, s.spin_id, s.pool,
                   NULL, NULL, coalesce(s.close_trace_id, s.trace_id)
              FROM spin.spins s
             WHERE s.closed_xid >= p_from AND s.closed_xid < p_to) a
     ORDER BY a.xid, a.at, a.ord, a.match_id, a.user_id
$$;

-- Where this relay round ends: the horizon, or earlier so that a round publishes about p_limit records
-- (whole transactions only: a transaction with more records is published whole).
CREATE FUNCTION spin.relay_round_end(p_from bigint, p_horizon bigint, p_limit int) RETURNS bigint
    LANGUAGE sql STABLE
AS $$
    SELECT coalesce((SELECT greatest(a.xid, p_from + 1) FROM spin.announcements(p_from, p_horizon) a OFFSET p_limit LIMIT 1),
                    p_horizon)
$$;
