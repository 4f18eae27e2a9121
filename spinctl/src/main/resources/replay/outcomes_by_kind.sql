-- Spins by outcome; an open spin is 'waiting'.
SELECT coalesce(outcome, 'waiting') AS kind, count(*) FROM spin.spins GROUP BY 1 ORDER BY 1
