-- The users a trace touched: its spins' users and the users of decisions carrying it.
SELECT user_id FROM spin.spins WHERE trace_id = ?
UNION
SELECT user_id FROM spin.decisions WHERE trace_id = ? AND user_id IS NOT NULL
ORDER BY 1
