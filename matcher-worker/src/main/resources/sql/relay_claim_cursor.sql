-- One relay at a time: the cursor row, held until the round commits; no row when another relay holds it.
SELECT next_xid FROM spin.relay_cursor FOR UPDATE SKIP LOCKED
