-- The relay's backlog: rows not yet published (the relay deletes what it published).
SELECT count(*) AS backlog FROM spin.outbox
