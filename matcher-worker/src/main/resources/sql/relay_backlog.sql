-- The relay's backlog: records of committed transactions not yet published (schema V6, "Relay").
SELECT count(*) AS backlog FROM spin.announcements((SELECT next_xid FROM spin.relay_cursor), spin.relay_horizon())
