-- spinmatch schema "spin": tables and the constraints that make a bad state impossible to commit.
-- The invariants (DESIGN.md 1-6) are enforced here declaratively wherever PostgreSQL can;
-- spin.invariant_violations() (V2) checks all of them, including what constraints cannot express.

CREATE TABLE spin.settings (
    singleton        boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    rematch_cooldown interval    NOT NULL DEFAULT interval '5 minutes' CHECK (rematch_cooldown >= interval '0'),
    spin_timeout     interval    NOT NULL DEFAULT interval '60 seconds' CHECK (spin_timeout > interval '0'),
    -- the active matches one repair run checks (spin.repairs; the worker's worker.repair.slice overrides it)
    repair_slice     int         NOT NULL DEFAULT 1000 CHECK (repair_slice > 0)
);
INSERT INTO spin.settings DEFAULT VALUES;

-- Queue order: "oldest waiting" means smallest queue_seq (now() is constant inside a transaction).
CREATE SEQUENCE spin.queue_seq;

-- One row per user: the state machine idle -> waiting -> matched -> idle.
-- The single state column makes "waiting and matched at once" impossible; the CHECKs tie the
-- columns to the state, and the foreign keys below tie a waiting user to their own OPEN spin and a
-- matched user to their own ACTIVE match membership.
CREATE TABLE spin.users (
    user_id        text        PRIMARY KEY CHECK (length(user_id) BETWEEN 1 AND 128),
    state          text        NOT NULL CHECK (state IN ('idle', 'waiting', 'matched')),
    pool           text,
    spin_id        uuid,
    match_id       uuid,
    queue_seq      bigint,
    waiting_since  timestamptz,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    -- constant marker columns so the foreign keys can require "open" / "active" on the other side
    spin_open      boolean GENERATED ALWAYS AS (CASE WHEN spin_id IS NOT NULL THEN true END) STORED,
    match_active   boolean GENERATED ALWAYS AS (CASE WHEN match_id IS NOT NULL THEN true END) STORED,
    CONSTRAINT users_waiting_has_spin CHECK ((state = 'waiting') = (spin_id IS NOT NULL)),
    CONSTRAINT users_matched_has_match CHECK ((state = 'matched') = (match_id IS NOT NULL)),
    CONSTRAINT users_waiting_is_queued CHECK (state <> 'waiting'
        OR (pool IS NOT NULL AND queue_seq IS NOT NULL AND waiting_since IS NOT NULL))
);
-- The queue: waiting users of a pool in arrival order.
CREATE INDEX users_queue ON spin.users (pool, queue_seq) WHERE state = 'waiting';

-- One row per spin (a press of the spin button). spin_id is the idempotency key of join_queue.
CREATE TABLE spin.spins (
    spin_id      uuid        PRIMARY KEY,
    user_id      text        NOT NULL,
    pool         text        NOT NULL CHECK (pool ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'),
    event_id     uuid,
    trace_id     text,
    occurred_at  timestamptz,
    created_at   timestamptz NOT NULL,
    outcome      text        CHECK (outcome IN ('matched', 'cancelled', 'expired', 'superseded')),
    closed_at    timestamptz,
    match_id     uuid,
    open         boolean GENERATED ALWAYS AS (outcome IS NULL) STORED,
    CONSTRAINT spins_closed_has_time CHECK ((outcome IS NULL) = (closed_at IS NULL)),
    CONSTRAINT spins_matched_has_match CHECK ((outcome = 'matched') = (match_id IS NOT NULL)),
    CONSTRAINT spins_key_for_users UNIQUE (spin_id, user_id, open)
);
-- Deferred to commit so join_queue can write the spin and upsert its user in either order.
ALTER TABLE spin.spins ADD CONSTRAINT spins_user_fk
    FOREIGN KEY (user_id) REFERENCES spin.users (user_id) DEFERRABLE INITIALLY DEFERRED;
-- Invariant 2: at most one open spin per user.
CREATE UNIQUE INDEX spins_one_open_per_user ON spin.spins (user_id) WHERE outcome IS NULL;

CREATE TABLE spin.matches (
    match_id    uuid        PRIMARY KEY,
    pool        text        NOT NULL,
    user_a      text        NOT NULL REFERENCES spin.users (user_id),
    user_b      text        NOT NULL REFERENCES spin.users (user_id),
    trace_id    text,
    created_at  timestamptz NOT NULL,
    active      boolean     NOT NULL DEFAULT true,
    ended_at    timestamptz,
    end_reason  text,
    ended_by    text,
    -- Invariant 4: two distinct users (and one canonical order per pair).
    CONSTRAINT matches_distinct_ordered_users CHECK (user_a < user_b),
    CONSTRAINT matches_active_not_ended CHECK (active = (ended_at IS NULL)),
    CONSTRAINT matches_ended_has_reason CHECK ((ended_at IS NULL) = (end_reason IS NULL)),
    CONSTRAINT matches_key_for_members UNIQUE (match_id, active)
);
-- Invariant 3: never two active matches of one pair.
CREATE UNIQUE INDEX matches_one_active_per_pair ON spin.matches (user_a, user_b) WHERE active;

ALTER TABLE spin.spins ADD CONSTRAINT spins_match_fk
    FOREIGN KEY (match_id) REFERENCES spin.matches (match_id);

-- The two participants of a match. members.active follows matches.active by ON UPDATE CASCADE.
CREATE TABLE spin.match_members (
    match_id   uuid    NOT NULL,
    user_id    text    NOT NULL REFERENCES spin.users (user_id),
    active     boolean NOT NULL,
    PRIMARY KEY (match_id, user_id),
    CONSTRAINT members_follow_match FOREIGN KEY (match_id, active)
        REFERENCES spin.matches (match_id, active) ON UPDATE CASCADE,
    CONSTRAINT members_key_for_users UNIQUE (match_id, user_id, active)
);
-- Invariant 1: a user is in at most one active match.
CREATE UNIQUE INDEX members_one_active_per_user ON spin.match_members (user_id) WHERE active;

-- A waiting user points at their own open spin; a matched user at their own active membership.
-- Checked at commit, so a transaction may close a spin or end a match before or after it
-- updates the user row (the state must be consistent when it commits).
ALTER TABLE spin.users ADD CONSTRAINT users_open_spin_fk
    FOREIGN KEY (spin_id, user_id, spin_open) REFERENCES spin.spins (spin_id, user_id, open)
    DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE spin.users ADD CONSTRAINT users_active_match_fk
    FOREIGN KEY (match_id, user_id, match_active) REFERENCES spin.match_members (match_id, user_id, active)
    DEFERRABLE INITIALLY DEFERRED;

-- Last time each pair was matched: the rematch cooldown (invariant 3).
CREATE TABLE spin.recent_pairs (
    user_a      text        NOT NULL,
    user_b      text        NOT NULL,
    matched_at  timestamptz NOT NULL,
    PRIMARY KEY (user_a, user_b),
    CHECK (user_a < user_b)
);
-- The pairs still within the rematch cooldown: the one definition of "recent partners". A function
-- PostgreSQL inlines where it is called, not a view: a view binds now() when it is created, and
-- spinctl's replay resolves now() to the replayed event time (replay_clock.sql) when a query runs.
CREATE FUNCTION spin.cooling_pairs() RETURNS TABLE (user_a text, user_b text)
    LANGUAGE sql STABLE
AS $$
    SELECT r.user_a, r.user_b FROM spin.recent_pairs r, spin.settings st
     WHERE r.matched_at > now() - st.rematch_cooldown
$$;

-- Transactional outbox: rows written in the matching transaction, relayed to Kafka afterwards in id
-- order. Only the backlog: the relay deletes the rows it published (in the transaction that claimed
-- them, committed after Kafka acknowledged every record), so a publication costs one delete and the
-- table does not grow with history; spin.matches on Kafka is the record of what was published.
CREATE TABLE spin.outbox (
    id            bigserial   PRIMARY KEY,
    event_id      uuid        NOT NULL UNIQUE,
    topic         text        NOT NULL,
    message_key   text        NOT NULL,
    payload       jsonb       NOT NULL,
    headers       jsonb       NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- Decision log: why each user's state changed (the "explain" of issue 6). Append-only.
CREATE TABLE spin.decisions (
    at          timestamptz NOT NULL DEFAULT now(),
    kind        text        NOT NULL,
    user_id     text,
    spin_id     uuid,
    match_id    uuid,
    partner_id  text,
    trace_id    text,
    detail      text
);
CREATE INDEX decisions_by_user ON spin.decisions (user_id, at);
