-- Repairs every live inconsistency the checker knows, checking the next slice of the active matches
-- (? = slice size; NULL: spin.settings.repair_slice); one row per repair made (none when healthy).
SELECT kind, user_id, spin_id, match_id, partner_id, trace_id, detail
  FROM spin.repairs(p_slice => ?::int)
