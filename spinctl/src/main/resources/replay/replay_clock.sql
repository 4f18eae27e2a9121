-- Installed in a replay's scratch database only, never by a migration. Sessions of the replay run
-- with search_path = replay, pg_catalog, public, so the unqualified now(), clock_timestamp() and gen_random_uuid() of
-- the spin functions resolve to these (PostgreSQL searches pg_catalog where the path names it):
-- time is the replayed event time (setting spin.replay_now, set per batch from record timestamps),
-- and ids come from a sequence, so one worker replaying one log writes the same rows every time.
CREATE SCHEMA IF NOT EXISTS replay;

CREATE OR REPLACE FUNCTION replay.now() RETURNS timestamptz
    LANGUAGE sql STABLE
AS $$ SELECT coalesce(nullif(current_setting('spin.replay_now', true), '')::timestamptz, pg_catalog.now()) $$;

-- clock_timestamp() stamps matches (created, ended): the checker orders a user's matches by it, so it must
-- follow commit order. Each replaying worker's now() is the event time of its own batch, and in a stress
-- replay the workers run ahead of each other: stamped with now(), a match one worker created after another
-- worker's commit had ended the user's previous match could carry the earlier time, an overlap that never
-- happened. So clock_timestamp() is a hybrid clock shared by every session: the caller's event time, or one
-- microsecond after the last instant it handed out when that is later. A statement that sees a commit reads the
-- clock after everything that commit stamped, so its instant is later; and no two reads get the same instant
-- (a tie would leave the checker's order of one user's matches to their ids). The read-and-advance runs under
-- a session advisory lock held for these two statements only (its holder waits on nothing), replay-only.
CREATE SEQUENCE IF NOT EXISTS replay.commit_clock MINVALUE 0 START 0;

CREATE OR REPLACE FUNCTION replay.clock_timestamp() RETURNS timestamptz
    LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    v_key constant bigint := spin.lock_key('replay:commit_clock');
    v_micros bigint;
BEGIN
    PERFORM pg_advisory_lock(v_key);
    v_micros := greatest((SELECT last_value FROM replay.commit_clock) + 1,
                         (extract(epoch FROM replay.now()) * 1000000)::bigint);
    PERFORM setval('replay.commit_clock', v_micros);
    PERFORM pg_advisory_unlock(v_key);
    RETURN timestamptz 'epoch' + v_micros * interval '1 microsecond';
END
$$;

CREATE SEQUENCE IF NOT EXISTS replay.uuid_seq;

CREATE OR REPLACE FUNCTION replay.gen_random_uuid() RETURNS uuid
    LANGUAGE sql VOLATILE
AS $$ SELECT md5('spinmatch-replay-' || nextval('replay.uuid_seq'))::uuid $$;

-- Column defaults were bound to pg_catalog.now() when the tables were created.
ALTER TABLE spin.event_results ALTER COLUMN recorded_at SET DEFAULT replay.now();
ALTER TABLE spin.repair_log ALTER COLUMN at SET DEFAULT replay.now();
