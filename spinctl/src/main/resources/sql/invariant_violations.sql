-- Every violated invariant, one row each; empty means healthy. The grace interval is how long two
-- pairable users may wait side by side before they count as stranded.
select kind, user_id::text, match_id::text, spin_id::text, detail
from spin.invariant_violations(?::interval)
order by kind, user_id
