-- Run on the embedded scratch server only (ScratchDatabase.embedded), never on a given database:
-- a replay's scratch copy is thrown away at exit, so a crash may lose or corrupt it at no cost.
-- fsync is already off from the start; these take effect at the reload that follows.
ALTER SYSTEM SET synchronous_commit = off;
ALTER SYSTEM SET full_page_writes = off;
ALTER SYSTEM SET max_wal_size = '4GB';
ALTER SYSTEM SET checkpoint_timeout = '1h';
SELECT pg_reload_conf();
