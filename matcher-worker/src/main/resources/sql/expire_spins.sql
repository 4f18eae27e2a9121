SELECT spin.expire_spins(?) AS expired
