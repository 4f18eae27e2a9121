-- Events that changed nothing, by result and reason (spin.event_results: no-ops and rejections).
SELECT result || ': ' || reason, count(*) FROM spin.event_results GROUP BY 1 ORDER BY 1
