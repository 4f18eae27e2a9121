-- The stranded-user sweep: matches waiting users (waiting at least the grace) that have a pairable partner.
SELECT user_id, result, match_id, partner_id
  FROM spin.match_stranded(make_interval(secs => ? / 1000.0), ?)
