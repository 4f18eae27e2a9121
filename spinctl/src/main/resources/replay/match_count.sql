SELECT count(*) FROM spin.matches
