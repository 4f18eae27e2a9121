-- First statement of a relay round, before the round's transaction has an id: every transaction below it has ended.
SELECT spin.relay_horizon() AS horizon
