-- Takes or renews a fleet-wide lease in a short transaction of its own (schema/README.md).
SELECT spin.try_lease(?, ?, make_interval(secs => ? / 1000.0)) AS held
