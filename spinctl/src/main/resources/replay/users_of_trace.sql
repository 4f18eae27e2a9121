-- The users a trace touched: its spins' users, the users of matches and closes carrying it.
SELECT user_id FROM spin.spins WHERE trace_id = ? OR close_trace_id = ?
UNION
SELECT unnest(ARRAY[user_a, user_b]) FROM spin.matches WHERE trace_id = ? OR end_trace_id = ?
ORDER BY 1
