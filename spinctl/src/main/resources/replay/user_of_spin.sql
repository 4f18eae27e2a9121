SELECT user_id FROM spin.spins WHERE spin_id = ?::uuid
