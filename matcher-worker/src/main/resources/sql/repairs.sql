-- Repairs every live inconsistency the checker knows; one row per repair made (none when healthy).
SELECT kind, user_id, spin_id, match_id, partner_id, trace_id, detail
  FROM spin.repairs()
