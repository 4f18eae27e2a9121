-- spinmatch schema "spin": the tables, and the constraints that make a bad state impossible to commit.
--
-- One fact, one place. A user's whole live state is their LIVE spin: a spin is live while its user
-- waits on it or is in the active match it was matched into. So one partial unique index on spins,
-- "at most one live spin per user", makes "one open spin or active match per user" and "never waiting
-- and matched at once" (DESIGN.md invariants 1 and 2) uncommittable, and with them "never two active
-- matches of one pair" (3): a pair matched twice would need two live spins of each user. A match row
-- holds what never changes about a match (its users and spins, pool and time) and, once, how it ended.
-- Nothing is copied into a second row tied by a foreign key; spin.invariant_violations() (V4) checks
-- what constraints cannot express.
--
-- Announcements (match_created, match_ended, spin_cancelled, spin_expired) are not written twice
-- either: the relay reads them from the rows themselves, by the transaction id that wrote them
-- (xid columns; V6, "Relay"), so a match costs no outbox row and no delete.

CREATE TABLE spin.settings (
    singleton         boolean  PRIMARY KEY DEFAULT true CHECK (singleton),
    rematch_cooldown  interval NOT NULL DEFAULT interval '5 minutes' CHECK (rematch_cooldown >= interval '0'),
    spin_timeout      interval NOT NULL DEFAULT interval '60 seconds' CHECK (spin_timeout > interval '0'),
    -- the active matches one repair run checks (spin.repairs; the worker's worker.repair.slice overrides it)
    repair_slice      int      NOT NULL DEFAULT 1000 CHECK (repair_slice > 0),
    -- finished spins, ended matches and repair records older than this are pruned (spin.prune_history)
    history_retention interval NOT NULL DEFAULT interval '7 days',
    -- a pruned match must not be one the cooldown or the checker still compares against
    CONSTRAINT settings_retention_covers_cooldown
        CHECK (history_retention >= rematch_cooldown AND history_retention >= interval '1 hour')
);
INSERT INTO spin.settings DEFAULT VALUES;

-- Queue order: "oldest waiting" means smallest seq (now() is constant inside a transaction).
CREATE SEQUENCE spin.queue_seq;

-- One row per spin (a press of the spin button); spin_id is the idempotency key of join_queue.
--   waiting:    outcome NULL, live                      (in the queue of its pool, by seq)
--   matched:    outcome 'matched', match_id; live while the match is active, released once it ended
--   cancelled, expired, superseded: released, closed_at
-- live is true while the spin is live and NULL once released (never false): NULLs never conflict in a
-- unique index, so one index on (user_id, live) both allows one live spin per user and finds all of a
-- user's spins.
CREATE TABLE spin.spins (
    spin_id      uuid        PRIMARY KEY,
    user_id      text        NOT NULL CHECK (length(user_id) BETWEEN 1 AND 128),
    pool         text        NOT NULL CHECK (pool ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'),
    seq          bigint      NOT NULL,    -- queue order (arrival)
    created_at   timestamptz NOT NULL,    -- applied: waiting since
    occurred_at  timestamptz,             -- the event's time at its producer
    event_id     uuid,
    trace_id     text,
    outcome      text        CHECK (outcome IN ('matched', 'cancelled', 'expired', 'superseded')),
    match_id     uuid,
    live         boolean     DEFAULT true CHECK (live),
    closed_at    timestamptz,             -- when cancelled, expired or superseded (matched: the match's created_at)
    close_trace_id text,                  -- the trace of the event that cancelled it
    closed_xid   bigint,                  -- the transaction that cancelled or expired it (the relay announces it)
    CONSTRAINT spins_matched_has_match CHECK ((outcome = 'matched') = (match_id IS NOT NULL)),
    CONSTRAINT spins_waiting_is_live CHECK (outcome IS NOT NULL OR live IS NOT NULL),
    CONSTRAINT spins_closed_is_released CHECK (outcome IS NULL OR outcome = 'matched' OR live IS NULL),
    CONSTRAINT spins_closed_has_time CHECK ((closed_at IS NOT NULL) = coalesce(outcome IN ('cancelled', 'expired', 'superseded'), false)),
    CONSTRAINT spins_announced_closes CHECK (closed_xid IS NULL OR outcome IN ('cancelled', 'expired'))
);
-- Invariants 1 and 2: at most one live spin per user (waiting, or in one active match); and a user's spins.
CREATE UNIQUE INDEX spins_one_live_per_user ON spin.spins (user_id, live);
-- The queue: waiting spins of a pool in arrival order.
CREATE INDEX spins_queue ON spin.spins (pool, seq) WHERE outcome IS NULL;

-- One row per match. user_a < user_b and their spins spin_a, spin_b. Active while ended_at IS NULL
-- (and then both spins are live); the end is written once, here, with its transaction id.
CREATE TABLE spin.matches (
    match_id     uuid        PRIMARY KEY,
    pool         text        NOT NULL,
    user_a       text        NOT NULL,
    user_b       text        NOT NULL,
    spin_a       uuid        NOT NULL,
    spin_b       uuid        NOT NULL,
    created_at   timestamptz NOT NULL,    -- clock_timestamp(): a user's matches can be checked for overlap
    trace_id     text,
    xid          bigint      NOT NULL,    -- the transaction that created it (the relay announces it)
    ended_at     timestamptz,
    end_reason   text,
    ended_by     text,                    -- the participant who ended it; NULL: by its id alone, or the system
    end_trace_id text,
    ended_xid    bigint,
    -- Invariant 4: two distinct users (and one canonical order per pair).
    CONSTRAINT matches_distinct_ordered_users CHECK (user_a < user_b),
    CONSTRAINT matches_two_spins CHECK (spin_a <> spin_b),
    CONSTRAINT matches_end_is_whole CHECK ((ended_at IS NULL) = (end_reason IS NULL)
                                           AND (ended_at IS NULL) = (ended_xid IS NULL)),
    CONSTRAINT matches_ended_by_participant CHECK (ended_by IS NULL OR ended_by IN (user_a, user_b))
);
-- The rematch cooldown (invariant 3) reads a pair's latest match here; so does the repair.
CREATE INDEX matches_by_pair ON spin.matches (user_a, user_b, created_at);

-- Events the matching core did not apply: no-ops (ending a match one is not in, cancelling a spin that
-- is not open, ...) and rejections (bad input, a spin id of another user), with the reason. Rare by
-- nature, so recorded cheaply; an applied event writes nothing here (the happy path stays lean).
CREATE TABLE spin.event_results (
    event_id     uuid        PRIMARY KEY,
    user_id      text,
    event_type   text,
    result       text        NOT NULL CHECK (result IN ('noop', 'rejected')),
    reason       text        NOT NULL,
    spin_id      uuid,
    match_id     uuid,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);

-- What the state repair (V5) changed: one row per repair. Production corruption is not in the event
-- log, so a replay cannot rebuild these; spinctl explain reads them.
CREATE TABLE spin.repair_log (
    seq          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    kind         text        NOT NULL,
    user_id      text,
    spin_id      uuid,
    match_id     uuid,
    partner_id   text,
    trace_id     text,
    detail       text
);
CREATE INDEX repair_log_by_user ON spin.repair_log (user_id, seq);

-- The history tables are written in time order, so BRIN indexes (a few pages, almost free to maintain)
-- find old rows for pruning and recent transactions for the relay without a btree entry per row on
-- the matching path. autosummarize: a filled page range is summarized by autovacuum at once.
CREATE INDEX spins_by_creation ON spin.spins USING brin (created_at) WITH (autosummarize = on);
CREATE INDEX matches_by_creation ON spin.matches USING brin (created_at) WITH (autosummarize = on);
CREATE INDEX repair_log_by_time ON spin.repair_log USING brin (at) WITH (autosummarize = on);
CREATE INDEX matches_created_xid ON spin.matches USING brin (xid) WITH (pages_per_range = 8, autosummarize = on);
CREATE INDEX matches_ended_xid ON spin.matches USING brin (ended_xid) WITH (pages_per_range = 8, autosummarize = on);
CREATE INDEX spins_closed_xid ON spin.spins USING brin (closed_xid) WITH (pages_per_range = 8, autosummarize = on);
CREATE INDEX event_results_by_time ON spin.event_results USING brin (recorded_at) WITH (autosummarize = on);
