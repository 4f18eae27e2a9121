SELECT count(*) FROM spin.spins
