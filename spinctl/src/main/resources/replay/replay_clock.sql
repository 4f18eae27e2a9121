-- Installed in a replay's scratch database only, never by a migration. Sessions of the replay run
-- with search_path = replay, pg_catalog, public, so the unqualified now(), clock_timestamp() and gen_random_uuid() of
-- the spin functions resolve to these two (PostgreSQL searches pg_catalog where the path names it):
-- time is the replayed event time (setting spin.replay_now, set per batch from record timestamps),
-- and ids come from a sequence, so one worker replaying one log writes the same rows every time.
CREATE SCHEMA IF NOT EXISTS replay;

CREATE OR REPLACE FUNCTION replay.now() RETURNS timestamptz
    LANGUAGE sql STABLE
AS $$ SELECT coalesce(nullif(current_setting('spin.replay_now', true), '')::timestamptz, pg_catalog.now()) $$;

-- Event time does not pass inside a batch: a replayed transaction happens at one instant.
CREATE OR REPLACE FUNCTION replay.clock_timestamp() RETURNS timestamptz
    LANGUAGE sql VOLATILE
AS $$ SELECT replay.now() $$;

CREATE SEQUENCE IF NOT EXISTS replay.uuid_seq;

CREATE OR REPLACE FUNCTION replay.gen_random_uuid() RETURNS uuid
    LANGUAGE sql VOLATILE
AS $$ SELECT md5('spinmatch-replay-' || nextval('replay.uuid_seq'))::uuid $$;

-- Column defaults were bound to pg_catalog.now() when the tables were created.
ALTER TABLE spin.decisions ALTER COLUMN at SET DEFAULT replay.now();
ALTER TABLE spin.outbox ALTER COLUMN created_at SET DEFAULT replay.now();
ALTER TABLE spin.users ALTER COLUMN updated_at SET DEFAULT replay.now();
