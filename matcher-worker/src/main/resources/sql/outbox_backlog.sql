SELECT count(*) AS backlog FROM spin.outbox WHERE published_at IS NULL
