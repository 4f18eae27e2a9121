-- The live dashboard (producer-api/src/main/resources/dashboard.sql) counts repairs every 10 s. Repair
-- decisions are rare, so a partial index holds only them: the count reads them alone instead of the
-- whole decision log, and the matching path's decisions are not in it (their insert only evaluates
-- the predicate).
CREATE INDEX decisions_repairs ON spin.decisions (at) WHERE kind LIKE 'repair%';
