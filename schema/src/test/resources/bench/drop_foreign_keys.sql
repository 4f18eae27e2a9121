-- A ROWS_ONLY variant of MatchingBenchmark: the schema without its foreign keys, to price them.
DO $$
DECLARE
    fk record;
BEGIN
    FOR fk IN SELECT c.conrelid::regclass AS rel, c.conname FROM pg_constraint c
               WHERE c.contype = 'f' AND c.connamespace = 'spin'::regnamespace LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.rel, fk.conname);
    END LOOP;
END
$$;
