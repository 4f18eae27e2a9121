SELECT kind, count(*) FROM spin.decisions GROUP BY 1 ORDER BY 1
