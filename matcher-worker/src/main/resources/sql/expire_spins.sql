-- Expires spins waiting longer than the worker's timeout (milliseconds), or settings.spin_timeout when NULL.
SELECT spin.expire_spins(?, coalesce(make_interval(secs => ?::bigint / 1000.0), (SELECT spin_timeout FROM spin.settings))) AS expired
